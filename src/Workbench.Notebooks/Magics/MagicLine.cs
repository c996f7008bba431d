using System.Text;

namespace Workbench.Notebooks.Magics;

/// <summary>
/// One magic line of a cell, <c>#!name arg --option value …</c>, split as a shell splits words (double quotes group,
/// a backslash escapes a quote inside them).
/// </summary>
public sealed class MagicLine
{
    private MagicLine(string name, IReadOnlyList<string> words, string text, int line)
    {
        Name = name;
        Words = words;
        Text = text;
        Line = line;
    }

    /// <summary>The magic's name without "#!" ("set", "fsharp", "time").</summary>
    public string Name { get; }

    /// <summary>The words after the name, quotes removed.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The line as written, trimmed.</summary>
    public string Text { get; }

    /// <summary>The 1-based line of the cell the magic stands on.</summary>
    public int Line { get; }

    /// <summary>True when the words ask for help (<c>-h</c>, <c>--help</c>, <c>-?</c>).</summary>
    public bool AsksForHelp => Words.Any(w => w is "-h" or "--help" or "-?" or "/?");

    /// <summary>Parses a line that starts with "#!" (after white space); null for any other line.</summary>
    /// <exception cref="MagicException">An unterminated quote.</exception>
    public static MagicLine? Parse(string text, int line)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("#!", StringComparison.Ordinal) || trimmed.Length == 2 || char.IsWhiteSpace(trimmed[2])) return null;
        var words = Split(trimmed[2..], line, trimmed);
        return new MagicLine(words[0], words.Skip(1).ToList(), trimmed, line);
    }

    private static List<string> Split(string s, int line, string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        bool inWord = false, quoted = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < s.Length && s[i + 1] is '"' or '\\') current.Append(s[++i]);
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') { quoted = true; inWord = true; }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
            else { current.Append(c); inWord = true; }
        }
        if (quoted) throw new MagicException($"unterminated quote in '{text}'", line);
        if (inWord) words.Add(current.ToString());
        return words;
    }

    /// <summary>The value of <c>--name value</c> (or any alias, e.g. "-n"); null when absent.</summary>
    /// <exception cref="MagicException">The option is last and has no value.</exception>
    public string? Option(string name, params string[] aliases)
    {
        string? found = null;
        for (var i = 0; i < Words.Count; i++)
        {
            if (Words[i] != name && !aliases.Contains(Words[i])) continue;
            if (i + 1 >= Words.Count) throw new MagicException($"#!{Name}: option {Words[i]} needs a value", Line);
            found = Words[++i];
        }
        return found;
    }

    /// <summary>The value of a required option.</summary>
    /// <exception cref="MagicException">The option is missing.</exception>
    public string RequiredOption(string name, params string[] aliases) =>
        Option(name, aliases) ?? throw new MagicException($"#!{Name}: option {name} is required", Line);

    /// <summary>True when the flag is present.</summary>
    public bool Flag(string name, params string[] aliases) => Words.Any(w => w == name || aliases.Contains(w));

    /// <summary>
    /// The words that are neither options nor their values; <paramref name="valued"/> lists the options that take a
    /// value (the others are flags).
    /// </summary>
    public IReadOnlyList<string> Positional(params string[] valued)
    {
        var result = new List<string>();
        for (var i = 0; i < Words.Count; i++)
        {
            if (valued.Contains(Words[i])) { i++; continue; }
            if (Words[i].StartsWith('-') && Words[i].Length > 1) continue;
            result.Add(Words[i]);
        }
        return result;
    }

    /// <summary>Fails on an option this magic does not know, naming it.</summary>
    /// <exception cref="MagicException">An unknown option.</exception>
    public void CheckOptions(IReadOnlyCollection<string> valued, IReadOnlyCollection<string> flags)
    {
        for (var i = 0; i < Words.Count; i++)
        {
            if (valued.Contains(Words[i])) { i++; continue; }
            if (flags.Contains(Words[i]) || !Words[i].StartsWith("--", StringComparison.Ordinal)) continue;
            throw new MagicException($"#!{Name}: unknown option {Words[i]}", Line);
        }
    }
}

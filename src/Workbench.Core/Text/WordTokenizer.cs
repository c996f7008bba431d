using System.Text;

namespace Workbench.Text;

/// <summary>
/// Words and punctuation: a run of letters, digits, underscores (and apostrophes inside a word when
/// <see cref="KeepApostrophes"/>) is one token, every other non-space character is a token of its own.
/// "Hello, world!" → "Hello", ",", "world", "!".
/// </summary>
public sealed class WordTokenizer : ITokenizer
{
    /// <summary>True when tokens are lower-cased (invariant culture).</summary>
    public bool Lowercase { get; }

    /// <summary>True when an apostrophe between two word characters stays inside the word ("don't").</summary>
    public bool KeepApostrophes { get; }

    /// <summary>Creates a word tokenizer.</summary>
    /// <param name="lowercase">Lower-case every token.</param>
    /// <param name="keepApostrophes">Keep "don't" as one token instead of "don", "'", "t".</param>
    public WordTokenizer(bool lowercase = false, bool keepApostrophes = false)
    {
        Lowercase = lowercase;
        KeepApostrophes = keepApostrophes;
    }

    /// <summary>True for the characters that make up words (the regex class \w: letters, digits, marks, connectors).</summary>
    public static bool IsWordCharacter(char c) =>
        char.IsLetterOrDigit(c) || c == '_' || char.GetUnicodeCategory(c) is
            System.Globalization.UnicodeCategory.NonSpacingMark or
            System.Globalization.UnicodeCategory.SpacingCombiningMark or
            System.Globalization.UnicodeCategory.ConnectorPunctuation;

    /// <inheritdoc/>
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int start = i;
            if (IsWordCharacter(c))
            {
                while (i < text.Length && (IsWordCharacter(text[i]) ||
                       (KeepApostrophes && text[i] == '\'' && i + 1 < text.Length && IsWordCharacter(text[i + 1]) && i > start)))
                    i++;
            }
            else
            {
                // One punctuation character (kept whole when it is a surrogate pair).
                i += char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            }
            string token = text[start..i];
            tokens.Add(Lowercase ? token.ToLowerInvariant() : token);
        }
        return tokens;
    }

    /// <summary>
    /// Joins words with single spaces, except that closing punctuation attaches to the word before it and opening
    /// brackets to the word after: "Hello", ",", "world", "!" → "Hello, world!".
    /// </summary>
    public string Detokenize(IEnumerable<string> tokens) => Join(tokens);

    internal static string Join(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var builder = new StringBuilder();
        bool previousOpens = true;
        foreach (string token in tokens)
        {
            bool closes = token.Length == 1 && ".,!?;:)]}%".Contains(token[0]);
            if (!previousOpens && !closes) builder.Append(' ');
            builder.Append(token);
            previousOpens = token.Length == 1 && "([{".Contains(token[0]);
        }
        return builder.ToString();
    }
}

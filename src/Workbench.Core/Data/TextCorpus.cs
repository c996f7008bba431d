namespace Workbench.Data;

/// <summary>
/// A plain-text corpus split into a training and a validation part, as in the Tiny Shakespeare layout
/// (one file; the first 90 % trains, the last 10 % validates).
/// </summary>
/// <param name="Train">The training text.</param>
/// <param name="Validation">The validation text.</param>
/// <param name="Source">Where it came from.</param>
public sealed record TextCorpus(string Train, string Validation, string Source)
{
    /// <summary>Reads <paramref name="path"/> (UTF-8) and splits it at <c>(1 − validationFraction)</c> of its length.</summary>
    public static TextCorpus Load(string path, double validationFraction = 0.1)
    {
        if (Directory.Exists(path)) throw new FileNotFoundException($"Text corpus: '{path}' is a folder; a file is expected there.", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Text corpus not found: {path}", path);
        string text = File.ReadAllText(path).Replace("\r\n", "\n");
        if (text.Length < 2) throw new DataFormatException(path, 0, $"the corpus holds {text.Length} characters; at least 2 are needed");
        return Split(text, validationFraction, path);
    }

    /// <summary>Splits <paramref name="text"/>: the last <paramref name="validationFraction"/> validates.</summary>
    public static TextCorpus Split(string text, double validationFraction = 0.1, string source = "(text)")
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "must be in (0, 1)");
        int cut = Math.Clamp((int)Math.Round(text.Length * (1 - validationFraction)), 1, text.Length - 1);
        return new TextCorpus(text[..cut], text[cut..], source);
    }

    /// <summary>The whole text (train then validation).</summary>
    public string Text => Train + Validation;

    /// <summary>A character vocabulary covering both parts.</summary>
    public SymbolVocabulary CharacterVocabulary() => SymbolVocabulary.FromCharacters(Text);

    /// <summary>Splits text into lower-case words and punctuation marks, with "\n" kept as its own token (for word-level models).</summary>
    public static string[] Words(string text)
    {
        var tokens = new List<string>();
        var word = new System.Text.StringBuilder();
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c) || c == '\'') { word.Append(char.ToLowerInvariant(c)); continue; }
            if (word.Length > 0) { tokens.Add(word.ToString()); word.Clear(); }
            if (c == '\n') tokens.Add("\n");
            else if (!char.IsWhiteSpace(c)) tokens.Add(c.ToString());
        }
        if (word.Length > 0) tokens.Add(word.ToString());
        return tokens.ToArray();
    }
}

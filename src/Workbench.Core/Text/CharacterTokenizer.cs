using System.Globalization;
using System.Text;

namespace Workbench.Text;

/// <summary>
/// One token per character (per text element, so a surrogate pair or a combining sequence stays whole).
/// Whitespace is dropped by default, as in the "Hello, world!" example: H, e, l, l, o, ",", w, o, r, l, d, "!".
/// </summary>
public sealed class CharacterTokenizer : ITokenizer
{
    /// <summary>True when spaces, tabs and newlines are kept as tokens (then <see cref="Detokenize"/> is exact).</summary>
    public bool KeepWhitespace { get; }

    /// <summary>Creates a character tokenizer.</summary>
    /// <param name="keepWhitespace">Keep whitespace characters as tokens.</param>
    public CharacterTokenizer(bool keepWhitespace = false) => KeepWhitespace = keepWhitespace;

    /// <inheritdoc/>
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>(text.Length);
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            string element = elements.GetTextElement();
            if (!KeepWhitespace && string.IsNullOrWhiteSpace(element)) continue;
            tokens.Add(element);
        }
        return tokens;
    }

    /// <inheritdoc/>
    public string Detokenize(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var builder = new StringBuilder();
        foreach (string token in tokens) builder.Append(token);
        return builder.ToString();
    }
}

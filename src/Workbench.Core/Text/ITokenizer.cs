namespace Workbench.Text;

/// <summary>Splits text into tokens: the discrete units a model sees before they become ids and vectors.</summary>
public interface ITokenizer
{
    /// <summary>The tokens of <paramref name="text"/>, in order.</summary>
    IReadOnlyList<string> Tokenize(string text);

    /// <summary>Joins tokens back into text (exact for characters; whitespace is normalized for words and sub-words).</summary>
    string Detokenize(IEnumerable<string> tokens);
}

namespace Workbench.Text;

/// <summary>
/// The map between tokens and their positions that every vocabulary in the library is: ids of
/// <see cref="Vocabulary"/> and <see cref="Data.SymbolVocabulary"/>, rows of <see cref="Embeddings.WordVectors"/>.
/// Tokens compare ordinally; a token that appears twice is an error naming both positions.
/// </summary>
internal sealed class TokenIndex
{
    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;

    /// <summary>Indexes <paramref name="tokens"/>; <paramref name="kind"/> and <paramref name="position"/> name them in errors ("word", "rows").</summary>
    public TokenIndex(IEnumerable<string> tokens, string kind = "token", string position = "ids", string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = tokens.ToArray();
        _ids = new Dictionary<string, int>(_tokens.Length, StringComparer.Ordinal);
        for (int i = 0; i < _tokens.Length; i++)
        {
            if (!_ids.TryAdd(_tokens[i], i))
                throw new ArgumentException($"The {kind} '{_tokens[i]}' appears twice ({position} {_ids[_tokens[i]]} and {i}).", parameterName);
        }
    }

    /// <summary>The tokens by position.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>Number of tokens.</summary>
    public int Count => _tokens.Length;

    /// <summary>The token at <paramref name="id"/>.</summary>
    public string this[int id] => _tokens[id];

    /// <summary>True when <paramref name="token"/> is indexed.</summary>
    public bool Contains(string token) => _ids.ContainsKey(token);

    /// <summary>The position of <paramref name="token"/>, or −1.</summary>
    public int IndexOf(string token) => _ids.TryGetValue(token, out int id) ? id : -1;
}

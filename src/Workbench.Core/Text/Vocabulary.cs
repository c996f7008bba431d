using System.Globalization;
using Workbench.IO;

namespace Workbench.Text;

/// <summary>
/// Maps tokens to integer ids and back. Ids 0–3 are the special tokens (padding, unknown, begin, end); the other
/// tokens follow by decreasing frequency (ties: first seen first). Unknown tokens map to <see cref="UnknownId"/>.
/// </summary>
public sealed class Vocabulary
{
    private readonly TokenIndex _tokens;
    private readonly List<long> _counts;

    /// <summary>The special tokens, at ids 0–3.</summary>
    public SpecialTokens Specials { get; }

    /// <summary>Id of the padding token (0).</summary>
    public int PaddingId => 0;

    /// <summary>Id of the unknown token (1).</summary>
    public int UnknownId => 1;

    /// <summary>Id of the begin-of-sequence token (2).</summary>
    public int BeginId => 2;

    /// <summary>Id of the end-of-sequence token (3).</summary>
    public int EndId => 3;

    /// <summary>Number of ids, special tokens included.</summary>
    public int Count => _tokens.Count;

    /// <summary>Every token in id order.</summary>
    public IReadOnlyList<string> Tokens => _tokens.Tokens;

    private Vocabulary(SpecialTokens specials, List<string> tokens, List<long> counts)
    {
        Specials = specials;
        _tokens = new TokenIndex(tokens);
        _counts = counts;
    }

    /// <summary>
    /// Counts <paramref name="tokens"/> and keeps those seen at least <paramref name="minCount"/> times,
    /// at most <paramref name="maxSize"/> of them (special tokens not counted), most frequent first.
    /// </summary>
    public static Vocabulary Build(IEnumerable<string> tokens, int minCount = 1, int? maxSize = null, SpecialTokens? specials = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        if (maxSize is < 0) throw new ArgumentOutOfRangeException(nameof(maxSize), maxSize, "The maximum size must not be negative.");
        specials ??= SpecialTokens.Default;
        var counts = new Dictionary<string, (long Count, int First)>(StringComparer.Ordinal);
        int seen = 0;
        foreach (string token in tokens)
        {
            counts[token] = counts.TryGetValue(token, out var entry) ? (entry.Count + 1, entry.First) : (1, seen);
            seen++;
        }
        var reserved = new HashSet<string>(specials.All, StringComparer.Ordinal);
        var kept = counts.Where(kv => kv.Value.Count >= minCount && !reserved.Contains(kv.Key))
            .OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Value.First)
            .Take(maxSize ?? int.MaxValue).ToList();
        var list = new List<string>(specials.All);
        var frequencies = new List<long> { 0, 0, 0, 0 };
        foreach (var kv in kept) { list.Add(kv.Key); frequencies.Add(kv.Value.Count); }
        return new Vocabulary(specials, list, frequencies);
    }

    /// <summary>A vocabulary of exactly these tokens in this order, after the special tokens (frequencies zero).</summary>
    public static Vocabulary FromTokens(IEnumerable<string> tokens, SpecialTokens? specials = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        specials ??= SpecialTokens.Default;
        var list = new List<string>(specials.All);
        list.AddRange(tokens);
        return new Vocabulary(specials, list, Enumerable.Repeat(0L, list.Count).ToList());
    }

    /// <summary>True when <paramref name="token"/> has its own id.</summary>
    public bool Contains(string token) => _tokens.Contains(token);

    /// <summary>The id of <paramref name="token"/>, or <see cref="UnknownId"/> when it is not in the vocabulary.</summary>
    public int this[string token] => _tokens.IndexOf(token) is var id and >= 0 ? id : UnknownId;

    /// <summary>The token with id <paramref name="id"/>.</summary>
    public string TokenOf(int id)
    {
        if ((uint)id >= (uint)_tokens.Count)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Ids run from 0 to {_tokens.Count - 1}.");
        return _tokens[id];
    }

    /// <summary>How often the token was counted when the vocabulary was built (0 for special tokens).</summary>
    public long Frequency(string token) => _tokens.IndexOf(token) is var id and >= 0 ? _counts[id] : 0;

    /// <summary>The ids of <paramref name="tokens"/>, optionally wrapped in the begin and end ids.</summary>
    public int[] Encode(IEnumerable<string> tokens, bool addBeginEnd = false)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var ids = new List<int>();
        if (addBeginEnd) ids.Add(BeginId);
        foreach (string token in tokens) ids.Add(this[token]);
        if (addBeginEnd) ids.Add(EndId);
        return ids.ToArray();
    }

    /// <summary>The tokens of <paramref name="ids"/>; padding, begin and end are dropped when <paramref name="skipSpecial"/>.</summary>
    public string[] Decode(IEnumerable<int> ids, bool skipSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>();
        foreach (int id in ids)
        {
            if (skipSpecial && (id == PaddingId || id == BeginId || id == EndId)) continue;
            tokens.Add(TokenOf(id));
        }
        return tokens.ToArray();
    }

    /// <summary>
    /// Saves as UTF-8 text, one "token TAB frequency" line per id (the first four lines are the special tokens);
    /// written atomically.
    /// </summary>
    public void Save(string path)
    {
        foreach (string token in _tokens.Tokens)
        {
            if (token.Contains('\t') || token.Contains('\n') || token.Contains('\r'))
                throw new InvalidOperationException($"The token '{token}' contains a tab or line break and cannot be saved one per line.");
        }
        AtomicFile.WriteText(path, writer =>
        {
            for (int i = 0; i < _tokens.Count; i++)
                writer.Write($"{_tokens[i]}\t{_counts[i].ToString(CultureInfo.InvariantCulture)}\n");
        });
    }

    /// <summary>Loads a file written by <see cref="Save"/>; errors name the file and line.</summary>
    public static Vocabulary Load(string path)
    {
        var tokens = new List<string>();
        var counts = new List<long>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path, AtomicFile.Utf8))
        {
            lineNumber++;
            int tab = line.LastIndexOf('\t');
            if (tab < 0 || !long.TryParse(line.AsSpan(tab + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long count))
                throw new FormatException($"{path}:{lineNumber}: expected 'token<TAB>frequency', found '{line}'.");
            tokens.Add(line[..tab]);
            counts.Add(count);
        }
        if (tokens.Count < 4)
            throw new FormatException($"{path}: a vocabulary file starts with the 4 special tokens; found only {tokens.Count} lines.");
        var specials = new SpecialTokens(tokens[0], tokens[1], tokens[2], tokens[3]);
        try { return new Vocabulary(specials, tokens, counts); }
        catch (ArgumentException e) { throw new FormatException($"{path}: {e.Message}", e); }
    }
}

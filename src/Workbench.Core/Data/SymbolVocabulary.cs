using System.Text;
using System.Text.Json;
using Workbench.Text;

namespace Workbench.Data;

/// <summary>
/// A fixed map between symbols (characters, words or tags) and ids 0..Count-1. Built sorted (ordinal) so the
/// same data always gives the same ids. An optional unknown symbol takes whatever is not in the map.
/// </summary>
public sealed class SymbolVocabulary
{
    /// <summary>The padding symbol that word vocabularies reserve as id 0.</summary>
    public const string Padding = "<pad>";

    /// <summary>The unknown-word symbol that word vocabularies reserve as id 1.</summary>
    public const string Unknown = "<unk>";

    private readonly TokenIndex _symbols;

    /// <summary>The symbols, by id.</summary>
    public IReadOnlyList<string> Symbols => _symbols.Tokens;

    /// <summary>Number of symbols.</summary>
    public int Count => _symbols.Count;

    /// <summary>The id that unknown symbols map to, or null when unknown symbols are an error.</summary>
    public int? UnknownId { get; }

    /// <summary>Creates a vocabulary with exactly these symbols in this order (ids = positions).</summary>
    public SymbolVocabulary(IEnumerable<string> symbols, string? unknownSymbol = null)
    {
        _symbols = new TokenIndex(symbols, "symbol");
        if (unknownSymbol is not null)
        {
            int unk = _symbols.IndexOf(unknownSymbol);
            if (unk < 0) throw new ArgumentException($"The unknown symbol '{unknownSymbol}' is not in the vocabulary.");
            UnknownId = unk;
        }
    }

    /// <summary>The distinct characters of <paramref name="text"/>, sorted by code point: a character-level vocabulary.</summary>
    public static SymbolVocabulary FromCharacters(string text) =>
        new(text.Distinct().Order().Select(c => c.ToString()));

    /// <summary>A word vocabulary: <see cref="Padding"/> = 0, <see cref="Unknown"/> = 1, then the distinct words sorted (ordinal).</summary>
    public static SymbolVocabulary FromWords(IEnumerable<string> words) =>
        new(new[] { Padding, Unknown }.Concat(words.Distinct(StringComparer.Ordinal).Where(w => w != Padding && w != Unknown).Order(StringComparer.Ordinal)), Unknown);

    /// <summary>A closed label set (e.g. tags): the distinct labels sorted, no reserved ids.</summary>
    public static SymbolVocabulary FromLabels(IEnumerable<string> labels) =>
        new(labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    /// <summary>The symbol with this id.</summary>
    public string this[int id] => _symbols[id];

    /// <summary>True when <paramref name="symbol"/> is in the vocabulary.</summary>
    public bool Contains(string symbol) => _symbols.Contains(symbol);

    /// <summary>The id of <paramref name="symbol"/>; unknown symbols map to <see cref="UnknownId"/> or throw naming the symbol.</summary>
    public int IdOf(string symbol)
    {
        int id = _symbols.IndexOf(symbol);
        if (id >= 0) return id;
        if (UnknownId is int unk) return unk;
        throw new KeyNotFoundException($"Symbol '{symbol}' is not in the vocabulary of {Count} symbols.");
    }

    /// <summary>The ids of a sequence of symbols.</summary>
    public int[] Encode(IEnumerable<string> symbols) => symbols.Select(IdOf).ToArray();

    /// <summary>The ids of the characters of <paramref name="text"/>.</summary>
    public int[] EncodeCharacters(string text)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++) ids[i] = IdOf(text[i].ToString());
        return ids;
    }

    /// <summary>The symbols of <paramref name="ids"/> joined with <paramref name="separator"/> ("" for characters).</summary>
    public string Decode(IEnumerable<int> ids, string separator = "")
    {
        var sb = new StringBuilder();
        bool first = true;
        foreach (int id in ids)
        {
            if (!first) sb.Append(separator);
            sb.Append(_symbols[id]);
            first = false;
        }
        return sb.ToString();
    }

    /// <summary>JSON: <c>{"symbols": [...], "unknown": "&lt;unk&gt;" | null}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Stored([.. _symbols.Tokens], UnknownId is int u ? _symbols[u] : null));

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    public static SymbolVocabulary FromJson(string json)
    {
        var stored = JsonSerializer.Deserialize<Stored>(json) ?? throw new FormatException("The vocabulary JSON is empty.");
        return new SymbolVocabulary(stored.symbols ?? throw new FormatException("The vocabulary JSON has no 'symbols'."), stored.unknown);
    }

    private sealed record Stored(string[]? symbols, string? unknown);
}

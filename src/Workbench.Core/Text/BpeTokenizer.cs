using System.Globalization;
using System.Text.Json;
using System.Text;
using Workbench.IO;

namespace Workbench.Text;

/// <summary>
/// Byte-pair encoding over characters (Sennrich et al., 2016): words from a <see cref="WordTokenizer"/> start as
/// characters, the last one carrying <see cref="EndOfWordSuffix"/>; training repeatedly merges the most frequent
/// adjacent pair; encoding applies the learned merges by rank (lowest first, leftmost first), as Hugging Face's
/// and Microsoft.ML.Tokenizers' BPE models do. Ids come from <see cref="Vocabulary"/> (special tokens 0–3, then the
/// characters in ordinal order, then every merge result in merge order).
/// </summary>
public sealed class BpeTokenizer : ITokenizer
{
    private readonly Dictionary<(string Left, string Right), int> _ranks;
    private readonly Dictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly WordTokenizer _words;

    /// <summary>The merges in the order they were learned (rank 0 first).</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>The token ↔ id map (special tokens first).</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>Marks the last symbol of each word (default "&lt;/w&gt;"); null or empty for none.</summary>
    public string? EndOfWordSuffix { get; }

    /// <summary>True when text is lower-cased before splitting into words.</summary>
    public bool Lowercase => _words.Lowercase;

    private BpeTokenizer(IReadOnlyList<(string, string)> merges, Vocabulary vocabulary, string? suffix, bool lowercase)
    {
        Merges = merges;
        Vocabulary = vocabulary;
        EndOfWordSuffix = string.IsNullOrEmpty(suffix) ? null : suffix;
        _words = new WordTokenizer(lowercase);
        _ranks = new Dictionary<(string, string), int>();
        for (int i = 0; i < merges.Count; i++) _ranks.TryAdd(merges[i], i);
    }

    /// <summary>
    /// Learns up to <paramref name="mergeCount"/> merges from <paramref name="texts"/>; stops early when the most
    /// frequent pair occurs fewer than <paramref name="minPairFrequency"/> times. Ties between equally frequent pairs
    /// go to the ordinally smallest (left, right), so training is deterministic.
    /// </summary>
    public static BpeTokenizer Train(IEnumerable<string> texts, int mergeCount, int minPairFrequency = 2,
        string? endOfWordSuffix = "</w>", bool lowercase = false)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfNegative(mergeCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(minPairFrequency, 1);
        var wordTokenizer = new WordTokenizer(lowercase);
        var wordCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string text in texts)
            foreach (string word in wordTokenizer.Tokenize(text))
                wordCounts[word] = wordCounts.GetValueOrDefault(word) + 1;

        var words = wordCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (Symbols: InitialSymbols(kv.Key, endOfWordSuffix), Count: kv.Value)).ToList();
        var alphabet = new SortedSet<string>(words.SelectMany(w => w.Symbols), StringComparer.Ordinal);
        // Pair counts are kept up to date incrementally: a merge only revisits the words that contain the pair.
        var merges = new List<(string, string)>();
        var pairCounts = new Dictionary<(string, string), long>();
        var pairWords = new Dictionary<(string, string), HashSet<int>>();
        void Count(int index, int sign)
        {
            var (symbols, count) = words[index];
            for (int i = 0; i + 1 < symbols.Count; i++)
            {
                var pair = (symbols[i], symbols[i + 1]);
                long updated = pairCounts.GetValueOrDefault(pair) + sign * count;
                if (updated == 0) pairCounts.Remove(pair); else pairCounts[pair] = updated;
                if (sign > 0)
                {
                    if (!pairWords.TryGetValue(pair, out var set)) pairWords[pair] = set = [];
                    set.Add(index);
                }
            }
        }
        for (int w = 0; w < words.Count; w++) Count(w, +1);
        for (int m = 0; m < mergeCount && pairCounts.Count > 0; m++)
        {
            var best = pairCounts.First();
            foreach (var kv in pairCounts)
            {
                if (kv.Value > best.Value || (kv.Value == best.Value && ComparePairs(kv.Key, best.Key) < 0)) best = kv;
            }
            if (best.Value < minPairFrequency) break;
            var (left, right) = best.Key;
            merges.Add(best.Key);
            string merged = left + right;
            foreach (int w in pairWords.TryGetValue(best.Key, out var holders) ? holders.ToArray() : [])
            {
                var symbols = words[w].Symbols;
                bool contains = false;
                for (int i = 0; i + 1 < symbols.Count && !contains; i++) contains = symbols[i] == left && symbols[i + 1] == right;
                if (!contains) continue; // a stale entry: the word lost this pair in an earlier merge
                Count(w, -1);
                for (int i = 0; i + 1 < symbols.Count; i++)
                {
                    if (symbols[i] == left && symbols[i + 1] == right)
                    {
                        symbols[i] = merged;
                        symbols.RemoveAt(i + 1);
                    }
                }
                Count(w, +1);
            }
            pairWords.Remove(best.Key);
        }
        return new BpeTokenizer(merges, BuildVocabulary(alphabet, merges), endOfWordSuffix, lowercase);
    }

    /// <summary>A tokenizer from known merges (the alphabet is every character the merges use, plus <paramref name="extraSymbols"/>).</summary>
    public static BpeTokenizer FromMerges(IEnumerable<(string Left, string Right)> merges, IEnumerable<string>? extraSymbols = null,
        string? endOfWordSuffix = "</w>", bool lowercase = false)
    {
        ArgumentNullException.ThrowIfNull(merges);
        var list = merges.ToList();
        var produced = new HashSet<string>(list.Select(p => p.Left + p.Right), StringComparer.Ordinal);
        var alphabet = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (left, right) in list)
        {
            if (!produced.Contains(left)) alphabet.Add(left);
            if (!produced.Contains(right)) alphabet.Add(right);
        }
        if (extraSymbols is not null) alphabet.UnionWith(extraSymbols);
        return new BpeTokenizer(list, BuildVocabulary(alphabet, list), endOfWordSuffix, lowercase);
    }

    private static int ComparePairs((string, string) a, (string, string) b)
    {
        int c = string.CompareOrdinal(a.Item1, b.Item1);
        return c != 0 ? c : string.CompareOrdinal(a.Item2, b.Item2);
    }

    private static Vocabulary BuildVocabulary(IEnumerable<string> alphabet, List<(string, string)> merges)
    {
        var ordered = new List<string>();
        var seen = new HashSet<string>(SpecialTokens.Default.All, StringComparer.Ordinal);
        foreach (string symbol in alphabet) if (seen.Add(symbol)) ordered.Add(symbol);
        foreach (var (left, right) in merges) if (seen.Add(left + right)) ordered.Add(left + right);
        return Vocabulary.FromTokens(ordered);
    }

    private static List<string> InitialSymbols(string word, string? suffix)
    {
        var symbols = new List<string>(word.Length);
        var elements = StringInfo.GetTextElementEnumerator(word);
        while (elements.MoveNext()) symbols.Add(elements.GetTextElement());
        if (!string.IsNullOrEmpty(suffix) && symbols.Count > 0) symbols[^1] += suffix;
        return symbols;
    }

    /// <summary>The vocabulary tokens of <paramref name="text"/> (with the end-of-word suffix where it applies).</summary>
    public IReadOnlyList<string> EncodeToTokens(string text) => Encode(text).Select(Vocabulary.TokenOf).ToList();

    /// <summary>The ids of <paramref name="text"/>; a character never seen in training becomes the unknown id.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        foreach (string word in _words.Tokenize(text))
        {
            if (!_cache.TryGetValue(word, out int[]? wordIds))
            {
                wordIds = EncodeWord(word);
                if (_cache.Count < 100_000) _cache[word] = wordIds;
            }
            ids.AddRange(wordIds);
        }
        return ids.ToArray();
    }

    private int[] EncodeWord(string word)
    {
        var symbols = InitialSymbols(word, EndOfWordSuffix);
        while (symbols.Count > 1)
        {
            int bestRank = int.MaxValue, bestAt = -1;
            for (int i = 0; i + 1 < symbols.Count; i++)
            {
                if (_ranks.TryGetValue((symbols[i], symbols[i + 1]), out int rank) && rank < bestRank)
                {
                    bestRank = rank;
                    bestAt = i;
                }
            }
            if (bestAt < 0) break;
            symbols[bestAt] += symbols[bestAt + 1];
            symbols.RemoveAt(bestAt + 1);
        }
        return symbols.Select(s => Vocabulary[s]).ToArray();
    }

    /// <summary>
    /// The sub-words of <paramref name="text"/> as text (end-of-word suffix removed):
    /// "Hello, world!" → "He", "llo", ",", "wo", "rld", "!" with suitable merges.
    /// </summary>
    public IReadOnlyList<string> Tokenize(string text) => EncodeToTokens(text).Select(StripSuffix).ToList();

    private string StripSuffix(string token) =>
        EndOfWordSuffix is not null && token.EndsWith(EndOfWordSuffix, StringComparison.Ordinal) && token.Length > EndOfWordSuffix.Length
            ? token[..^EndOfWordSuffix.Length] : token;

    /// <summary>
    /// Text from ids: sub-words are joined into words at each end-of-word suffix, words are joined as
    /// <see cref="WordTokenizer.Detokenize"/> does. Padding, begin and end ids are skipped.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Detokenize(Vocabulary.Decode(ids, skipSpecial: true));
    }

    /// <summary>Joins vocabulary tokens (with suffixes) into text; without a suffix, every token is taken as a word.</summary>
    public string Detokenize(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (string token in tokens)
        {
            if (EndOfWordSuffix is null) { words.Add(token); continue; }
            if (token.EndsWith(EndOfWordSuffix, StringComparison.Ordinal))
            {
                current.Append(token, 0, token.Length - EndOfWordSuffix.Length);
                words.Add(current.ToString());
                current.Clear();
            }
            else current.Append(token);
        }
        if (current.Length > 0) words.Add(current.ToString());
        return WordTokenizer.Join(words);
    }

    /// <summary>
    /// Saves the Hugging Face layout that Microsoft.ML.Tokenizers' BpeTokenizer reads: <paramref name="vocabPath"/>
    /// is a JSON object token → id, <paramref name="mergesPath"/> is "#version: 0.2" then one "left right" line per
    /// merge. Both written atomically.
    /// </summary>
    public void Save(string vocabPath, string mergesPath)
    {
        foreach (var (left, right) in Merges)
        {
            if (left.Contains(' ') || right.Contains(' ') || left.Contains('\n') || right.Contains('\n'))
                throw new InvalidOperationException($"The merge ('{left}', '{right}') contains a space or line break and cannot be saved.");
        }
        AtomicFile.Write(vocabPath, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            json.WriteStartObject();
            for (int id = 0; id < Vocabulary.Count; id++) json.WriteNumber(Vocabulary.TokenOf(id), id);
            json.WriteEndObject();
        });
        AtomicFile.WriteText(mergesPath, writer =>
        {
            writer.Write("#version: 0.2\n");
            foreach (var (left, right) in Merges) writer.Write($"{left} {right}\n");
        });
    }

    /// <summary>Loads files written by <see cref="Save"/>; errors name the file and line.</summary>
    public static BpeTokenizer Load(string vocabPath, string mergesPath, string? endOfWordSuffix = "</w>", bool lowercase = false)
    {
        Dictionary<string, int>? map;
        try { map = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(vocabPath, AtomicFile.Utf8)); }
        catch (JsonException e) { throw new FormatException($"{vocabPath}: not a JSON object of token → id ({e.Message}).", e); }
        if (map is null) throw new FormatException($"{vocabPath}: empty vocabulary.");
        var byId = map.OrderBy(kv => kv.Value).ToList();
        for (int i = 0; i < byId.Count; i++)
        {
            if (byId[i].Value != i) throw new FormatException($"{vocabPath}: ids must run 0..{byId.Count - 1} without gaps; id {i} is missing.");
        }
        if (byId.Count < 4) throw new FormatException($"{vocabPath}: the first four ids must be the special tokens.");
        var specials = new SpecialTokens(byId[0].Key, byId[1].Key, byId[2].Key, byId[3].Key);
        var vocabulary = Vocabulary.FromTokens(byId.Skip(4).Select(kv => kv.Key), specials);

        var merges = new List<(string, string)>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(mergesPath, AtomicFile.Utf8))
        {
            lineNumber++;
            if (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)) continue;
            if (line.Length == 0) continue;
            string[] parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new FormatException($"{mergesPath}:{lineNumber}: expected 'left right', found '{line}'.");
            if (!vocabulary.Contains(parts[0] + parts[1]))
                throw new FormatException($"{mergesPath}:{lineNumber}: the merge result '{parts[0] + parts[1]}' is not in {vocabPath}.");
            merges.Add((parts[0], parts[1]));
        }
        return new BpeTokenizer(merges, vocabulary, endOfWordSuffix, lowercase);
    }
}

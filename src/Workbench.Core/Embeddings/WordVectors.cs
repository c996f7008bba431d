// Over 400 lines on purpose: the table and its queries mirror gensim's KeyedVectors as one API (lookup,
// similarity, most_similar, 3CosAdd/3CosMul analogies, subsets); the file formats (WordVectorsFile) and the
// evaluation protocol (WordVectorsEvaluator) are already separate.
using System.Numerics.Tensors;
using System.Text;
using Workbench.Tensors;
using Workbench.Text;

namespace Workbench.Embeddings;

/// <summary>
/// A table of word vectors in the spirit of gensim's KeyedVectors: one row per word (row order = file order, usually
/// most frequent first), similarity queries on unit-normalized vectors, analogies (3CosAdd and 3CosMul), evaluation
/// with gensim's protocol, and the GloVe / word2vec text / word2vec binary formats.
/// </summary>
/// <remarks>Vectors are float32, as in gensim and word2vec.c. The table is immutable once built.</remarks>
public sealed class WordVectors
{
    private readonly string[] _words;
    private readonly float[] _vectors;
    private readonly TokenIndex _index;
    private float[]? _unit;
    private float[]? _norms;

    /// <summary>Number of words.</summary>
    public int Count => _words.Length;

    /// <summary>Length of each vector.</summary>
    public int Dimension { get; }

    /// <summary>The words in row order.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>Corpus counts when known (from training), else null.</summary>
    public IReadOnlyList<long>? Counts { get; }

    /// <summary>
    /// Wraps <paramref name="vectors"/> (row-major, <paramref name="words"/>.Count × <paramref name="dimension"/>; not copied).
    /// </summary>
    public WordVectors(IReadOnlyList<string> words, float[] vectors, int dimension, IReadOnlyList<long>? counts = null)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if ((long)words.Count * dimension != vectors.Length)
            throw new ArgumentException($"{words.Count} words × dimension {dimension} = {(long)words.Count * dimension} values, but {vectors.Length} were given.", nameof(vectors));
        if (counts is not null && counts.Count != words.Count)
            throw new ArgumentException($"{words.Count} words but {counts.Count} counts.", nameof(counts));
        _words = words.ToArray();
        _vectors = vectors;
        Dimension = dimension;
        Counts = counts;
        _index = new TokenIndex(_words, "word", "rows", nameof(words));
    }

    /// <summary>A table from (word, vector) pairs; every vector must have the same length.</summary>
    public static WordVectors FromPairs(IEnumerable<KeyValuePair<string, float[]>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var list = pairs.ToList();
        if (list.Count == 0) throw new ArgumentException("At least one word is needed.", nameof(pairs));
        int dim = list[0].Value.Length;
        var data = new float[list.Count * dim];
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Value.Length != dim)
                throw new ArgumentException($"The vector of '{list[i].Key}' has {list[i].Value.Length} values; '{list[0].Key}' has {dim}.", nameof(pairs));
            list[i].Value.CopyTo(data, i * dim);
        }
        return new WordVectors(list.Select(p => p.Key).ToList(), data, dim);
    }

    /// <summary>True when <paramref name="word"/> has a vector.</summary>
    public bool Contains(string word) => _index.Contains(word);

    /// <summary>The row of <paramref name="word"/>, or -1.</summary>
    public int IndexOf(string word) => _index.IndexOf(word);

    /// <summary>A copy of the vector of <paramref name="word"/> (unit length when <paramref name="normalized"/>).</summary>
    /// <exception cref="KeyNotFoundException">The word is unknown.</exception>
    public float[] GetVector(string word, bool normalized = false) => GetVector(Require([word])[0], normalized);

    /// <summary>A copy of row <paramref name="index"/> (unit length when <paramref name="normalized"/>).</summary>
    public float[] GetVector(int index, bool normalized = false)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"Rows run from 0 to {Count - 1}.");
        return (normalized ? Unit : _vectors).AsSpan(index * Dimension, Dimension).ToArray();
    }

    /// <summary>The vector of <paramref name="word"/> (a copy).</summary>
    public float[] this[string word] => GetVector(word);

    /// <summary>The whole table as a (Count, Dimension) array: the embedding matrix (a copy).</summary>
    public NdArray<float> ToNdArray() => new((float[])_vectors.Clone(), Count, Dimension);

    /// <summary>embedding_matrix[tokens]: the rows of <paramref name="ids"/> stacked into an (n, Dimension) array.</summary>
    public NdArray<float> Lookup(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var result = new float[ids.Count * Dimension];
        for (int i = 0; i < ids.Count; i++)
        {
            if ((uint)ids[i] >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"Token id at position {i} is outside 0..{Count - 1}.");
            _vectors.AsSpan(ids[i] * Dimension, Dimension).CopyTo(result.AsSpan(i * Dimension));
        }
        return new NdArray<float>(result, ids.Count, Dimension);
    }

    /// <summary>The vectors of <paramref name="words"/> stacked into an (n, Dimension) array; unknown words are an error listing them.</summary>
    public NdArray<float> Lookup(IEnumerable<string> words) => Lookup(Require(words));

    /// <summary>A new table of the first <paramref name="count"/> rows (the most frequent words in a frequency-sorted file).</summary>
    public WordVectors Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        count = Math.Min(count, Count);
        return new WordVectors(_words[..count], _vectors.AsSpan(0, count * Dimension).ToArray(), Dimension, Counts?.Take(count).ToArray());
    }

    /// <summary>A new table of just <paramref name="words"/>, in that order; unknown words are an error listing them.</summary>
    public WordVectors Subset(IEnumerable<string> words)
    {
        int[] rows = Require(words);
        return new WordVectors(rows.Select(r => _words[r]).ToArray(), Lookup(rows).Data, Dimension, Counts is null ? null : rows.Select(r => Counts[r]).ToArray());
    }

    /// <summary>The rows of <paramref name="words"/>; throws a <see cref="KeyNotFoundException"/> listing every unknown word.</summary>
    public int[] Require(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var list = words.ToList();
        var missing = list.Where(w => !_index.Contains(w)).Distinct().ToList();
        if (missing.Count > 0)
            throw new KeyNotFoundException($"Not in the vocabulary ({Count} words): {string.Join(", ", missing.Select(w => $"'{w}'"))}.");
        return list.Select(_index.IndexOf).ToArray();
    }

    /// <summary>L2 norms of the rows (float32, as gensim's fill_norms).</summary>
    internal float[] Norms
    {
        get
        {
            if (_norms is null)
            {
                var norms = new float[Count];
                for (int i = 0; i < Count; i++) norms[i] = (float)Math.Sqrt(SquaredNorm(_vectors.AsSpan(i * Dimension, Dimension)));
                _norms = norms;
            }
            return _norms;
        }
    }

    /// <summary>Unit-normalized rows (gensim's get_vector(norm=True)); a zero row stays zero.</summary>
    internal float[] Unit
    {
        get
        {
            if (_unit is null)
            {
                var unit = new float[_vectors.Length];
                float[] norms = Norms;
                for (int i = 0; i < Count; i++)
                {
                    var src = _vectors.AsSpan(i * Dimension, Dimension);
                    var dst = unit.AsSpan(i * Dimension, Dimension);
                    if (norms[i] > 0) TensorPrimitives.Divide(src, norms[i], dst);
                }
                _unit = unit;
            }
            return _unit;
        }
    }

    internal ReadOnlySpan<float> UnitRow(int index) => Unit.AsSpan(index * Dimension, Dimension);

    private static double SquaredNorm(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (float x in v) sum += (double)x * x;
        return sum;
    }

    // ---- similarity ----

    /// <summary>Cosine similarity uᵀv / (‖u‖‖v‖), in [−1, 1] (not MathNet's Distance.Cosine, which is 1 − this). 0 when a vector is zero.</summary>
    public static double CosineSimilarity(ReadOnlySpan<float> u, ReadOnlySpan<float> v)
    {
        RequireSameLength(u.Length, v.Length);
        double dot = 0, uu = 0, vv = 0;
        for (int i = 0; i < u.Length; i++) { dot += (double)u[i] * v[i]; uu += (double)u[i] * u[i]; vv += (double)v[i] * v[i]; }
        return uu == 0 || vv == 0 ? 0.0 : dot / (Math.Sqrt(uu) * Math.Sqrt(vv));
    }

    /// <summary>Cosine similarity of double vectors.</summary>
    public static double CosineSimilarity(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        RequireSameLength(u.Length, v.Length);
        double dot = 0, uu = 0, vv = 0;
        for (int i = 0; i < u.Length; i++) { dot += u[i] * v[i]; uu += u[i] * u[i]; vv += v[i] * v[i]; }
        return uu == 0 || vv == 0 ? 0.0 : dot / (Math.Sqrt(uu) * Math.Sqrt(vv));
    }

    /// <summary>Euclidean distance ‖u − v‖ (the square root of <see cref="SquaredEuclideanDistance(ReadOnlySpan{float}, ReadOnlySpan{float})"/>): larger means less similar.</summary>
    public static double EuclideanDistance(ReadOnlySpan<float> u, ReadOnlySpan<float> v) => Math.Sqrt(SquaredEuclideanDistance(u, v));

    /// <summary>Euclidean distance of double vectors.</summary>
    public static double EuclideanDistance(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => Math.Sqrt(SquaredEuclideanDistance(u, v));

    /// <summary>‖u − v‖², the form the featurized-representation notes write.</summary>
    public static double SquaredEuclideanDistance(ReadOnlySpan<float> u, ReadOnlySpan<float> v)
    {
        RequireSameLength(u.Length, v.Length);
        double sum = 0;
        for (int i = 0; i < u.Length; i++) { double d = (double)u[i] - v[i]; sum += d * d; }
        return sum;
    }

    /// <summary>‖u − v‖² of double vectors.</summary>
    public static double SquaredEuclideanDistance(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        RequireSameLength(u.Length, v.Length);
        double sum = 0;
        for (int i = 0; i < u.Length; i++) { double d = u[i] - v[i]; sum += d * d; }
        return sum;
    }

    private static void RequireSameLength(int a, int b)
    {
        if (a != b) throw new ArgumentException($"The vectors have different lengths ({a} and {b}).");
    }

    /// <summary>Cosine similarity of two words (gensim's similarity).</summary>
    public double Similarity(string a, string b)
    {
        int[] rows = Require([a, b]);
        return CosineSimilarity(_vectors.AsSpan(rows[0] * Dimension, Dimension), _vectors.AsSpan(rows[1] * Dimension, Dimension));
    }

    /// <summary>Cosine distance 1 − <see cref="Similarity"/> (gensim's distance).</summary>
    public double Distance(string a, string b) => 1.0 - Similarity(a, b);

    /// <summary>Euclidean distance between the raw vectors of two words.</summary>
    public double EuclideanDistance(string a, string b)
    {
        int[] rows = Require([a, b]);
        return EuclideanDistance(_vectors.AsSpan(rows[0] * Dimension, Dimension), _vectors.AsSpan(rows[1] * Dimension, Dimension));
    }

    /// <summary>The <paramref name="topN"/> words nearest to <paramref name="word"/> (the word itself excluded).</summary>
    public IReadOnlyList<WordSimilarity> MostSimilar(string word, int topN = 10) => MostSimilar([word], null, topN);

    /// <summary>
    /// 3CosAdd, exactly as gensim's most_similar: the unit vectors of <paramref name="positive"/> (weight +1) and
    /// <paramref name="negative"/> (−1) are averaged, the mean is unit-normalized, and the words with the highest
    /// cosine similarity to it are returned, the input words excluded. <paramref name="restrictVocab"/> searches only
    /// the first N rows. "king − man + woman" is MostSimilar(["king", "woman"], ["man"]).
    /// </summary>
    /// <exception cref="KeyNotFoundException">Lists every unknown input word.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilar(IEnumerable<string> positive, IEnumerable<string>? negative = null, int topN = 10, int? restrictVocab = null)
    {
        ArgumentNullException.ThrowIfNull(positive);
        var pos = positive.ToList();
        var neg = negative?.ToList() ?? [];
        if (pos.Count + neg.Count == 0) throw new ArgumentException("Cannot compute similarity with no input words.");
        int[] rows = Require(pos.Concat(neg));
        return MostSimilarRows(rows.AsSpan(0, pos.Count).ToArray(), rows.AsSpan(pos.Count).ToArray(), topN, restrictVocab);
    }

    internal IReadOnlyList<WordSimilarity> MostSimilarRows(int[] positive, int[] negative, int topN, int? restrictVocab)
    {
        if (topN < 1) return [];
        var mean = new float[Dimension];
        foreach (int r in positive) TensorPrimitives.Add(mean, UnitRow(r), mean);
        foreach (int r in negative) TensorPrimitives.Subtract(mean, UnitRow(r), mean);
        TensorPrimitives.Divide(mean, positive.Length + negative.Length, mean);
        float norm = TensorPrimitives.Norm(mean);
        if (norm > 0) TensorPrimitives.Divide(mean, norm, mean);
        var exclude = new HashSet<int>(positive.Concat(negative));
        return Nearest(mean, topN, restrictVocab, exclude);
    }

    /// <summary>The words whose vectors have the highest cosine similarity to <paramref name="vector"/> (nothing excluded).</summary>
    public IReadOnlyList<WordSimilarity> SimilarByVector(ReadOnlySpan<float> vector, int topN = 10, int? restrictVocab = null)
    {
        if (vector.Length != Dimension) throw new ArgumentException($"The query vector has {vector.Length} values; the table's dimension is {Dimension}.", nameof(vector));
        if (topN < 1) return [];
        var unit = vector.ToArray();
        float norm = TensorPrimitives.Norm(unit);
        if (norm > 0) TensorPrimitives.Divide(unit, norm, unit);
        return Nearest(unit, topN, restrictVocab, null);
    }

    private IReadOnlyList<WordSimilarity> Nearest(float[] unitQuery, int topN, int? restrictVocab, HashSet<int>? exclude)
    {
        int end = restrictVocab is int r && r > 0 ? Math.Min(r, Count) : Count;
        float[] unit = Unit;
        var top = new TopK(topN);
        for (int i = 0; i < end; i++)
        {
            if (exclude is not null && exclude.Contains(i)) continue;
            top.Offer(i, TensorPrimitives.Dot(unit.AsSpan(i * Dimension, Dimension), unitQuery));
        }
        return top.Sorted().Select(e => new WordSimilarity(_words[e.Index], e.Score)).ToList();
    }

    /// <summary>
    /// 3CosMul (Levy and Goldberg, 2014) as gensim's most_similar_cosmul: each cosine is shifted to (1 + cos)/2, the
    /// score is ∏ positive / (∏ negative + 1e-6); input words excluded.
    /// </summary>
    public IReadOnlyList<WordSimilarity> MostSimilarCosMul(IEnumerable<string> positive, IEnumerable<string>? negative = null, int topN = 10, int? restrictVocab = null)
    {
        ArgumentNullException.ThrowIfNull(positive);
        var pos = positive.ToList();
        var neg = negative?.ToList() ?? [];
        if (pos.Count == 0) throw new ArgumentException("Cannot compute similarity with no positive words.");
        int[] rows = Require(pos.Concat(neg));
        if (topN < 1) return [];
        int end = restrictVocab is int r && r > 0 ? Math.Min(r, Count) : Count;
        var exclude = new HashSet<int>(rows);
        float[] unit = Unit;
        var top = new TopK(topN);
        for (int i = 0; i < end; i++)
        {
            if (exclude.Contains(i)) continue;
            var row = unit.AsSpan(i * Dimension, Dimension);
            double numerator = 1, denominator = 1;
            for (int k = 0; k < pos.Count; k++) numerator *= (1 + TensorPrimitives.Dot(row, UnitRow(rows[k]))) / 2.0;
            for (int k = pos.Count; k < rows.Length; k++) denominator *= (1 + TensorPrimitives.Dot(row, UnitRow(rows[k]))) / 2.0;
            top.Offer(i, numerator / (denominator + 1e-6));
        }
        return top.Sorted().Select(e => new WordSimilarity(_words[e.Index], e.Score)).ToList();
    }

    /// <summary>
    /// The word that does not belong (gensim's doesnt_match): the one whose unit vector has the lowest cosine with the
    /// normalized mean of all the unit vectors. Unknown words are an error listing them.
    /// </summary>
    public string DoesntMatch(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        int[] rows = Require(words);
        if (rows.Length == 0) throw new ArgumentException("Cannot select a word from an empty list.", nameof(words));
        var mean = new float[Dimension];
        foreach (int r in rows) TensorPrimitives.Add(mean, UnitRow(r), mean);
        TensorPrimitives.Divide(mean, rows.Length, mean);
        float norm = TensorPrimitives.Norm(mean);
        if (norm > 0) TensorPrimitives.Divide(mean, norm, mean);
        int worst = rows[0];
        double worstScore = double.PositiveInfinity;
        foreach (int r in rows)
        {
            double score = TensorPrimitives.Dot(UnitRow(r), mean);
            if (score < worstScore) { worstScore = score; worst = r; }
        }
        return _words[worst];
    }

    // ---- evaluation ----

    /// <summary>
    /// Analogy accuracy with gensim 4.2's evaluate_word_analogies protocol: only the first
    /// <paramref name="restrictVocab"/> words count; a question with a word outside them is skipped (or counted wrong
    /// when <paramref name="dummy4unknown"/>); words are compared upper-cased when <paramref name="caseInsensitive"/>
    /// (the first, most frequent, case variant wins); the answer is the best 3CosAdd word that is not one of the three
    /// question words.
    /// </summary>
    public AnalogyEvaluation EvaluateWordAnalogies(string path, int restrictVocab = 300000, bool caseInsensitive = true, bool dummy4unknown = false) =>
        WordVectorsEvaluator.Analogies(this, path, restrictVocab, caseInsensitive, dummy4unknown);

    /// <summary>
    /// Correlation with human similarity judgements, as gensim 4.2's evaluate_word_pairs: lines "word1 TAB word2 TAB
    /// score", '#' lines are comments, malformed lines are skipped; pairs with an unknown word are skipped (or scored
    /// 0 when <paramref name="dummy4unknown"/>).
    /// </summary>
    public WordPairEvaluation EvaluateWordPairs(string path, char delimiter = '\t', int restrictVocab = 300000, bool caseInsensitive = true, bool dummy4unknown = false) =>
        WordVectorsEvaluator.WordPairs(this, path, delimiter, restrictVocab, caseInsensitive, dummy4unknown);

    // ---- files ----

    /// <summary>Loads GloVe text: "word v1 … vd" per line, no header.</summary>
    public static WordVectors LoadGlove(string path) => WordVectorsFile.ReadText(path, hasHeader: false);

    /// <summary>Loads word2vec text: a "count dim" header, then "word v1 … vd" per line.</summary>
    public static WordVectors LoadWord2VecText(string path) => WordVectorsFile.ReadText(path, hasHeader: true);

    /// <summary>Loads word2vec binary (word2vec.c and gensim): "count dim\n", then per word "word " and dim little-endian float32.</summary>
    public static WordVectors LoadWord2VecBinary(string path) => WordVectorsFile.ReadBinary(path);

    /// <summary>Loads any of the three formats, detected from the content (binary, header or none).</summary>
    public static WordVectors Load(string path) => WordVectorsFile.ReadAuto(path);

    /// <summary>Saves GloVe text (no header), atomically.</summary>
    public void SaveGlove(string path) => WordVectorsFile.WriteText(this, path, header: false);

    /// <summary>Saves word2vec text (with header), atomically.</summary>
    public void SaveWord2VecText(string path) => WordVectorsFile.WriteText(this, path, header: true);

    /// <summary>Saves word2vec binary as gensim 4.2 writes it, atomically.</summary>
    public void SaveWord2VecBinary(string path) => WordVectorsFile.WriteBinary(this, path);

    internal ReadOnlySpan<float> RawRow(int index) => _vectors.AsSpan(index * Dimension, Dimension);

    /// <summary>Python's str.upper(), which gensim applies for case-insensitive evaluation (full case mapping for ß and ligatures).</summary>
    internal static string PythonUpper(string s)
    {
        bool ascii = true;
        foreach (char c in s) if (c > 0x7f) { ascii = false; break; }
        if (ascii) return s.ToUpperInvariant();
        var builder = new StringBuilder(s.Length);
        foreach (Rune rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case 0xDF: builder.Append("SS"); break;
                case 0x149: builder.Append("\u02BCN"); break;
                case 0xFB00: builder.Append("FF"); break;
                case 0xFB01: builder.Append("FI"); break;
                case 0xFB02: builder.Append("FL"); break;
                case 0xFB03: builder.Append("FFI"); break;
                case 0xFB04: builder.Append("FFL"); break;
                case 0xFB05: case 0xFB06: builder.Append("ST"); break;
                default: builder.Append(Rune.ToUpperInvariant(rune).ToString()); break;
            }
        }
        return builder.ToString();
    }

    /// <summary>Keeps the k best (score, index) pairs; ties go to the lower index.</summary>
    private sealed class TopK(int k)
    {
        private readonly PriorityQueue<(int Index, double Score), (double, int)> _heap = new();

        public void Offer(int index, double score)
        {
            if (double.IsNaN(score)) return;
            if (_heap.Count < k) { _heap.Enqueue((index, score), (score, -index)); return; }
            _heap.TryPeek(out _, out var worst);
            if (score > worst.Item1 || (score == worst.Item1 && -index > worst.Item2))
                _heap.EnqueueDequeue((index, score), (score, -index));
        }

        public List<(int Index, double Score)> Sorted()
        {
            var list = new List<(int Index, double Score)>(_heap.Count);
            while (_heap.Count > 0) list.Add(_heap.Dequeue());
            list.Reverse();
            return list;
        }
    }
}

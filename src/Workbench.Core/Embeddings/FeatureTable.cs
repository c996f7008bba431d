using System.Globalization;

namespace Workbench.Embeddings;

/// <summary>
/// A hand-made featurized representation: one row per word, one named column per feature (e.g. Gender, Royal, Age,
/// Food), read from a CSV file whose header is "word,Feature1,Feature2,…". data/embeddings/featurized.csv holds the
/// classic Man/Woman/King/Queen/Apple/Orange example.
/// </summary>
public sealed class FeatureTable
{
    private readonly Dictionary<string, int> _rows;
    private readonly double[][] _values;

    /// <summary>The words, in file order.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The feature names, in column order.</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>Creates a table; every row must have one value per feature.</summary>
    public FeatureTable(IReadOnlyList<string> words, IReadOnlyList<string> features, IReadOnlyList<double[]> values)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(values);
        if (words.Count != values.Count) throw new ArgumentException($"{words.Count} words but {values.Count} rows of values.");
        _rows = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++)
        {
            if (values[i].Length != features.Count)
                throw new ArgumentException($"The row of '{words[i]}' has {values[i].Length} values; there are {features.Count} features.");
            if (!_rows.TryAdd(words[i], i)) throw new ArgumentException($"The word '{words[i]}' appears twice.");
        }
        Words = words.ToArray();
        Features = features.ToArray();
        _values = values.Select(v => (double[])v.Clone()).ToArray();
    }

    /// <summary>Reads a CSV file (comma-separated, header "word,Feature…"); errors name the file and line.</summary>
    public static FeatureTable Load(string path)
    {
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new FormatException($"{path}: the file is empty; expected a header 'word,Feature1,…'.");
        string[] header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
        if (header.Length < 2) throw new FormatException($"{path}:1: the header needs a word column and at least one feature.");
        var words = new List<string>();
        var values = new List<double[]>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            string[] cells = lines[i].Split(',');
            if (cells.Length != header.Length)
                throw new FormatException($"{path}:{i + 1}: {cells.Length} fields, expected {header.Length} as in the header.");
            var row = new double[header.Length - 1];
            for (int k = 1; k < cells.Length; k++)
            {
                if (!double.TryParse(cells[k].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out row[k - 1]))
                    throw new FormatException($"{path}:{i + 1}: the {header[k]} value '{cells[k]}' of '{cells[0]}' is not a number.");
            }
            words.Add(cells[0].Trim());
            values.Add(row);
        }
        try { return new FeatureTable(words, header[1..], values); }
        catch (ArgumentException e) { throw new FormatException($"{path}: {e.Message}", e); }
    }

    /// <summary>The feature vector e_word (a copy). Unknown words are an error.</summary>
    public double[] this[string word] =>
        _rows.TryGetValue(word, out int row) ? (double[])_values[row].Clone()
            : throw new KeyNotFoundException($"'{word}' is not in the table (words: {string.Join(", ", Words)}).");

    /// <summary>The value of one feature for one word.</summary>
    public double this[string word, string feature]
    {
        get
        {
            int column = Features.ToList().IndexOf(feature);
            if (column < 0) throw new KeyNotFoundException($"No feature '{feature}' (features: {string.Join(", ", Features)}).");
            return this[word][column];
        }
    }

    /// <summary>The same table as <see cref="WordVectors"/> (float32), for similarity queries and analogies.</summary>
    public WordVectors ToWordVectors() =>
        WordVectors.FromPairs(Words.Select((w, i) => new KeyValuePair<string, float[]>(w, _values[i].Select(v => (float)v).ToArray())));
}

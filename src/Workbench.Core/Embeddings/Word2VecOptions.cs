namespace Workbench.Embeddings;

/// <summary>Settings of <see cref="Word2Vec.Train"/>; defaults are gensim 4.2's (except <see cref="Threads"/>).</summary>
public sealed record Word2VecOptions
{
    /// <summary>Skip-gram (default) or CBOW.</summary>
    public Word2VecArchitecture Architecture { get; init; } = Word2VecArchitecture.SkipGram;

    /// <summary>Vector length (gensim vector_size).</summary>
    public int VectorSize { get; init; } = 100;

    /// <summary>Maximum distance between the centre and a context word; each position draws its window from 1..Window.</summary>
    public int Window { get; init; } = 5;

    /// <summary>Noise words per positive example, drawn from the unigram distribution raised to <see cref="NoiseExponent"/>.</summary>
    public int Negative { get; init; } = 5;

    /// <summary>Exponent of the noise distribution (0.75 as in word2vec).</summary>
    public double NoiseExponent { get; init; } = 0.75;

    /// <summary>Words seen fewer times are dropped from the vocabulary.</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>Sub-sampling threshold t: a word of frequency share f is kept with probability (√(f/t) + 1)·t/f; 0 disables.</summary>
    public double Sample { get; init; } = 1e-3;

    /// <summary>Initial learning rate.</summary>
    public double Alpha { get; init; } = 0.025;

    /// <summary>Final learning rate: alpha decays linearly to it over all epochs.</summary>
    public double MinAlpha { get; init; } = 0.0001;

    /// <summary>Passes over the corpus.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>
    /// Worker threads. 1 is the deterministic mode (same seed → bit-identical vectors); more threads split the corpus
    /// and update the shared vectors without locks, as word2vec.c and gensim do (fast, not reproducible).
    /// </summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of the initial vectors and of every random draw.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>CBOW: average the context vectors (true, gensim cbow_mean=1) or sum them.</summary>
    public bool CbowMean { get; init; } = true;

    /// <summary>Keep at most this many of the most frequent words (null: no limit).</summary>
    public int? MaxVocabularySize { get; init; }

    /// <summary>True when training runs in one thread and is therefore reproducible.</summary>
    public bool Deterministic => Threads == 1;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Require(bool ok, string name, object value, string rule)
        {
            if (!ok) throw new ArgumentException($"Word2Vec option {name} = {value} is invalid: it must be {rule}.");
        }
        Require(VectorSize >= 1, nameof(VectorSize), VectorSize, "at least 1");
        Require(Window >= 1, nameof(Window), Window, "at least 1");
        Require(Negative >= 1, nameof(Negative), Negative, "at least 1 (only negative sampling is implemented)");
        Require(MinCount >= 1, nameof(MinCount), MinCount, "at least 1");
        Require(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Require(Threads >= 1, nameof(Threads), Threads, "at least 1");
        Require(Alpha > 0 && double.IsFinite(Alpha), nameof(Alpha), Alpha, "positive");
        Require(MinAlpha >= 0 && MinAlpha <= Alpha, nameof(MinAlpha), MinAlpha, "between 0 and Alpha");
        Require(Sample >= 0 && double.IsFinite(Sample), nameof(Sample), Sample, "0 or positive");
        Require(MaxVocabularySize is null or >= 1, nameof(MaxVocabularySize), MaxVocabularySize ?? 0, "at least 1");
    }
}

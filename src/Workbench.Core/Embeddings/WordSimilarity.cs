namespace Workbench.Embeddings;

/// <summary>One result of a similarity query: a word and its score (cosine similarity, or the 3CosMul score).</summary>
/// <param name="Word">The word.</param>
/// <param name="Similarity">Its score; higher is more similar.</param>
public readonly record struct WordSimilarity(string Word, double Similarity)
{
    /// <summary>"word 0.1234".</summary>
    public override string ToString() => $"{Word} {Similarity:F4}";
}

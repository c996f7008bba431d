namespace Workbench.Embeddings;

/// <summary>The result of one ": section" of an analogy file (or the "Total accuracy" pseudo-section).</summary>
/// <param name="Name">The section name, e.g. "capital-common-countries".</param>
/// <param name="Correct">Questions a:b :: c:d answered with d (words as compared, upper-cased when case-insensitive).</param>
/// <param name="Incorrect">Questions answered with another word.</param>
public sealed record AnalogySection(string Name, IReadOnlyList<AnalogyQuestion> Correct, IReadOnlyList<AnalogyQuestion> Incorrect)
{
    /// <summary>Correct + incorrect.</summary>
    public int Evaluated => Correct.Count + Incorrect.Count;

    /// <summary>Correct / evaluated, or 0 when nothing was evaluated (gensim's convention).</summary>
    public double Accuracy => Evaluated == 0 ? 0.0 : (double)Correct.Count / Evaluated;
}

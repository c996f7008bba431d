namespace Workbench.Embeddings;

/// <summary>
/// Result of <see cref="WordVectors.EvaluateWordAnalogies"/>, the same figures as gensim's
/// KeyedVectors.evaluate_word_analogies: per-section correct/incorrect and the total.
/// </summary>
/// <param name="Sections">One entry per ": section" header, in file order.</param>
/// <param name="Total">All sections together, named "Total accuracy".</param>
/// <param name="Questions">Well-formed question lines read (4 words).</param>
/// <param name="OutOfVocabulary">Questions with a word outside the (restricted) vocabulary.</param>
public sealed record AnalogyEvaluation(IReadOnlyList<AnalogySection> Sections, AnalogySection Total, int Questions, int OutOfVocabulary)
{
    /// <summary>Total correct / total evaluated: gensim's returned score.</summary>
    public double Accuracy => Total.Accuracy;

    /// <summary>Percentage of questions with out-of-vocabulary words (gensim logs this).</summary>
    public double OutOfVocabularyRatio => Questions == 0 ? 0.0 : 100.0 * OutOfVocabulary / Questions;
}

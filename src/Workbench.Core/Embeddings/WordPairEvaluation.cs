namespace Workbench.Embeddings;

/// <summary>
/// Result of <see cref="WordVectors.EvaluateWordPairs"/>, as gensim's KeyedVectors.evaluate_word_pairs returns it:
/// Pearson and Spearman correlations (with two-sided p-values) between human scores and cosine similarities.
/// </summary>
/// <param name="Pearson">Pearson's r.</param>
/// <param name="PearsonPValue">Two-sided p-value of r.</param>
/// <param name="Spearman">Spearman's ρ (Pearson of average ranks).</param>
/// <param name="SpearmanPValue">Two-sided p-value of ρ.</param>
/// <param name="OutOfVocabularyRatio">Percentage of pairs with an unknown word, computed as gensim does.</param>
/// <param name="PairsUsed">Pairs that entered the correlations.</param>
/// <param name="PairsOutOfVocabulary">Pairs with an unknown word.</param>
public sealed record WordPairEvaluation(double Pearson, double PearsonPValue, double Spearman, double SpearmanPValue,
    double OutOfVocabularyRatio, int PairsUsed, int PairsOutOfVocabulary);

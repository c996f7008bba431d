namespace Workbench.Training;

/// <summary>A validation pass: the mean loss and, for classification, the accuracy.</summary>
/// <param name="Loss">Mean loss over the validation split (per scored item).</param>
/// <param name="Accuracy">Fraction of scored items predicted right, or null when the task is not classification.</param>
/// <param name="Count">How many items were scored.</param>
public sealed record Evaluation(double Loss, double? Accuracy, long Count)
{
    /// <summary>exp(loss): the perplexity when the loss is a cross-entropy in nats.</summary>
    public double Perplexity => Math.Exp(Loss);

    /// <summary>loss / ln 2: bits per token (bits per character for a character model).</summary>
    public double BitsPerToken => Loss / Math.Log(2);
}

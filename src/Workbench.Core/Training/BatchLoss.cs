namespace Workbench.Training;

/// <summary>What one training batch reports: its mean loss and how many tokens (scored positions or sequences) it held.</summary>
/// <param name="Loss">The mean loss of the batch.</param>
/// <param name="Tokens">Time steps processed (for tokens/s).</param>
public readonly record struct BatchLoss(double Loss, long Tokens);

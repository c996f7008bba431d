namespace Workbench.Training;

/// <summary>Reported after every epoch (and after a final partial epoch).</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Step">Steps taken so far.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's steps.</param>
/// <param name="Validation">The validation pass, or null when the task has none.</param>
/// <param name="Elapsed">Wall time since the run (or resume) started.</param>
public sealed record EpochMetrics(int Epoch, long Step, double TrainLoss, Evaluation? Validation, TimeSpan Elapsed);

namespace Workbench.Training;

/// <summary>Reported after every training step.</summary>
/// <param name="Step">0-based step just taken.</param>
/// <param name="Epoch">0-based epoch it belongs to.</param>
/// <param name="Loss">The batch's mean loss.</param>
/// <param name="GradientNorm">Global L2 norm of the gradients before clipping.</param>
/// <param name="LearningRate">The rate used for this step.</param>
/// <param name="Tokens">Tokens (time steps × sequences) in the batch.</param>
/// <param name="TokensPerSecond">Throughput since the run (or resume) started.</param>
/// <param name="Elapsed">Wall time since the run (or resume) started.</param>
/// <param name="Skipped">True when the step was skipped because of a non-finite value.</param>
public sealed record StepMetrics(long Step, int Epoch, double Loss, double GradientNorm, double LearningRate, long Tokens,
    double TokensPerSecond, TimeSpan Elapsed, bool Skipped = false);

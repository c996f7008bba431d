namespace Workbench.Training;

/// <summary>How a sweep shard ended.</summary>
/// <param name="Failures">Runs whose training process exited with a non-zero code.</param>
/// <param name="Interrupted">True when cancellation stopped the shard before every run had finished.</param>
public sealed record SweepOutcome(int Failures, bool Interrupted);

namespace Workbench.Training;

/// <summary>What <see cref="Trainer{T}.Run"/> returns.</summary>
/// <param name="Steps">Every step's metrics in this run (or resume).</param>
/// <param name="Epochs">Every epoch's metrics.</param>
/// <param name="StepsTaken">The trainer's step count at the end (including steps before a resume).</param>
/// <param name="Cancelled">True when the cancellation token stopped the loop (the model stays consistent and usable).</param>
/// <param name="StoppedEarly">True when early stopping ended the run.</param>
/// <param name="FinalValidation">The last validation pass, or null.</param>
/// <param name="WallTime">Wall time of this run.</param>
/// <param name="TokensPerSecond">Tokens processed per second of wall time.</param>
public sealed record TrainingResult(IReadOnlyList<StepMetrics> Steps, IReadOnlyList<EpochMetrics> Epochs, long StepsTaken,
    bool Cancelled, bool StoppedEarly, Evaluation? FinalValidation, TimeSpan WallTime, double TokensPerSecond);

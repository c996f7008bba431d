namespace Workbench.Training;

/// <summary>How long and how a <see cref="Trainer{T}"/> trains.</summary>
public sealed record TrainerOptions
{
    /// <summary>Total step budget; when null, <see cref="Epochs"/> × batches per epoch.</summary>
    public long? Steps { get; init; }

    /// <summary>Epochs to run when <see cref="Steps"/> is null (default 1).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Seed for everything the trainer and the task draw (shuffling); the model's initialisation has its own seed.</summary>
    public int Seed { get; init; }

    /// <summary>Clip the global gradient norm to this value (torch.nn.utils.clip_grad_norm_), or null for no clipping.</summary>
    public double? ClipGradientNorm { get; init; }

    /// <summary>The learning-rate schedule, or null to keep the optimizer's rate.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Stop when the validation loss has not improved for this many evaluations, or null to never stop early.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Also evaluate every this many steps (besides each epoch end), or null.</summary>
    public long? EvaluateEvery { get; init; }

    /// <summary>What to do with NaN or infinite losses and gradients.</summary>
    public NonFinitePolicy NonFinite { get; init; } = NonFinitePolicy.Throw;
}

namespace Workbench.Training;

/// <summary>A finished (or stopped) run as recorded in its folder's <c>run.json</c>.</summary>
public sealed record RunSummary
{
    /// <summary>completed | cancelled | stopped_early | failed.</summary>
    public string Status { get; init; } = "completed";
    /// <summary>The error message when <see cref="Status"/> is failed.</summary>
    public string? Error { get; init; }
    /// <summary>The run's seed (also in config.json).</summary>
    public int Seed { get; init; }
    /// <summary>The git commit of the working directory's repository, when there is one.</summary>
    public string? GitCommit { get; init; }
    /// <summary>When the run (or its last resume) started, UTC, ISO 8601.</summary>
    public string StartedUtc { get; init; } = "";
    /// <summary>Steps taken in total.</summary>
    public long Steps { get; init; }
    /// <summary>Mean training loss of the last epoch (or of the steps since the last evaluation).</summary>
    public double? FinalTrainLoss { get; init; }
    /// <summary>The last validation loss.</summary>
    public double? FinalValidationLoss { get; init; }
    /// <summary>The last validation accuracy (classification and tagging).</summary>
    public double? FinalValidationAccuracy { get; init; }
    /// <summary>Wall time of this run (or resume), seconds.</summary>
    public double WallSeconds { get; init; }
    /// <summary>Tokens per second of wall time.</summary>
    public double TokensPerSecond { get; init; }
    /// <summary>Environment.ProcessorCount when it ran.</summary>
    public int ProcessorCount { get; init; }
}

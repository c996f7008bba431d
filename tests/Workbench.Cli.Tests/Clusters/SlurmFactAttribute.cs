namespace Workbench.Cli.Tests.Clusters;

/// <summary>
/// A test that needs a one-node Slurm cluster on this machine: skipped, saying why, only where one cannot be had
/// (not Linux, not root, no apt-get, or scripts/test.sh found that slurm-wlm and munge could not be installed and
/// said so in WORKBENCH_SLURM_UNAVAILABLE).
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (SlurmCluster.Unavailable() is { } reason) Skip = $"no local Slurm cluster: {reason}";
    }
}

using System.Diagnostics;

namespace Workbench.Cli.Tests.Clusters;

/// <summary>
/// A throw-away one-node Slurm cluster (scripts/slurm/cluster.sh: munged, slurmctld and slurmd on loopback, all state
/// in one folder), and the Slurm clients pointed at it.
/// </summary>
internal sealed class SlurmCluster : IDisposable
{
    private readonly string _folder;
    private readonly string _conf;
    private bool _stopped;

    private SlurmCluster(string folder, string conf) => (_folder, _conf) = (folder, conf);

    /// <summary>Why no cluster can be started here, or null.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux()) return "Slurm runs on Linux only";
        if (Environment.GetEnvironmentVariable("WORKBENCH_SLURM_UNAVAILABLE") is { Length: > 0 } reason) return reason;
        if (Environment.UserName != "root") return "installing slurm-wlm and running slurmd need root";
        bool installed = File.Exists("/usr/sbin/slurmctld") && File.Exists("/usr/sbin/slurmd") && File.Exists("/usr/sbin/munged");
        if (!installed && !File.Exists("/usr/bin/apt-get")) return "slurm-wlm and munge are not installed and there is no apt-get to install them";
        return null;
    }

    /// <summary>Installs slurm-wlm and munge when missing, then starts a cluster whose files all live in <paramref name="folder"/>.</summary>
    public static SlurmCluster Start(string folder)
    {
        var install = Run("bash", [Script, "install"], timeoutSeconds: 900);
        if (install.ExitCode != 0) throw new InvalidOperationException($"scripts/slurm/cluster.sh install failed ({install.ExitCode}): {install.Output}");
        var start = Run("bash", [Script, "start", folder], timeoutSeconds: 120);
        var cluster = new SlurmCluster(folder, Path.Combine(folder, "slurm.conf"));
        if (start.ExitCode != 0)
        {
            cluster.Dispose(); // whatever did start
            throw new InvalidOperationException($"scripts/slurm/cluster.sh start failed ({start.ExitCode}): {start.Output}");
        }
        return cluster;
    }

    /// <summary>Runs a Slurm client (sbatch, squeue, scontrol, …) against this cluster.</summary>
    public (int ExitCode, string Output) Client(string command, params string[] args) =>
        Run(command, args, timeoutSeconds: 60, new Dictionary<string, string> { ["SLURM_CONF"] = _conf });

    /// <summary>The daemons' logs, for a failure message.</summary>
    public string Logs() => string.Join("\n", new[] { "slurmctld.log", "slurmd.log", "munged.log" }.Select(name =>
    {
        string path = Path.Combine(_folder, "log", name);
        string[] lines = File.Exists(path) ? File.ReadAllLines(path) : ["(missing)"];
        return $"--- {name} (last 60 lines)\n" + string.Join("\n", lines.TakeLast(60));
    }));

    /// <summary>Stops the daemons (also after a failed start).</summary>
    public void Dispose()
    {
        if (_stopped) return;
        _stopped = true;
        var stop = Run("bash", [Script, "stop", _folder], timeoutSeconds: 120);
        if (stop.ExitCode != 0) throw new InvalidOperationException($"scripts/slurm/cluster.sh stop failed ({stop.ExitCode}): {stop.Output}");
    }

    private static string Script => Path.Combine(RepositoryRoot(), "scripts", "slurm", "cluster.sh");

    /// <summary>The folder holding scripts/slurm, above the test's output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "slurm", "cluster.sh"))) return dir.FullName;
        throw new DirectoryNotFoundException("scripts/slurm/cluster.sh was not found above " + AppContext.BaseDirectory);
    }

    private static (int ExitCode, string Output) Run(string file, string[] args, int timeoutSeconds, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        if (environment is not null) foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Workbench.IO;

namespace Workbench.Training;

/// <summary>
/// Runs the configurations of a sweep shard, each in its own training process (a crash or a NaN ends one run, not
/// the sweep), at most <see cref="Parallel"/> at a time, each in its run folder under one directory.
/// </summary>
/// <remarks>
/// A folder that already holds a completed run is skipped, and every process is asked to resume, so a shard that
/// was stopped continues where it left off when started again. The configuration goes to <c>request.json</c> in the
/// run folder and the process's output streams to <c>train.log</c> there (follow a long run with <c>tail -f</c>).
/// </remarks>
public sealed class SweepRunner
{
    private readonly Func<string, string, ProcessStartInfo> _trainProcess;

    /// <summary>
    /// A runner that starts <paramref name="trainProcess"/>(request file, run folder): the process that trains the
    /// configuration in the request file into the run folder, resuming from its checkpoint when there is one.
    /// </summary>
    public SweepRunner(Func<string, string, ProcessStartInfo> trainProcess, int parallel)
    {
        ArgumentNullException.ThrowIfNull(trainProcess);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        _trainProcess = trainProcess;
        Parallel = parallel;
    }

    /// <summary>Processes at once.</summary>
    public int Parallel { get; }

    /// <summary>Raised as each run is skipped or its process exits (from a worker thread).</summary>
    public event Action<SweepRunReport>? RunFinished;

    /// <summary>
    /// Runs <paramref name="runs"/> (a <see cref="SweepGrid.Shard"/>) into folders under <paramref name="directory"/>.
    /// Cancelling asks every started process to stop (SIGTERM, as a scheduler's requeue or time limit would), gives it
    /// up to 10 s to save its checkpoint, then kills it.
    /// </summary>
    public SweepOutcome Run(IReadOnlyList<(int Index, RunConfig Config)> runs, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        Directory.CreateDirectory(directory);
        int failures = 0, stopped = 0;
        using var gate = new SemaphoreSlim(Parallel);
        var tasks = runs.Select(async item =>
        {
            string runDirectory = Path.Combine(directory, SweepGrid.RunName(item.Index, item.Config));
            string name = Path.GetFileName(runDirectory);
            if (File.Exists(Path.Combine(runDirectory, RunFolder.SummaryFile)) && RunFolder.FinishedStatuses.Contains(RunFolder.ReadSummary(runDirectory).Status))
            {
                RunFinished?.Invoke(new SweepRunReport(name, runDirectory, Skipped: true, ExitCode: 0));
                return;
            }
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var (code, cancelled) = await RunProcess(item.Config, runDirectory, cancellationToken).ConfigureAwait(false);
                RunFinished?.Invoke(new SweepRunReport(name, runDirectory, Skipped: false, code));
                if (cancelled) Interlocked.Increment(ref stopped);
                else if (code != 0) Interlocked.Increment(ref failures);
            }
            finally { gate.Release(); }
        }).ToArray();
        try { Task.WaitAll(tasks); }
        catch (AggregateException) when (cancellationToken.IsCancellationRequested) { return new SweepOutcome(failures, Interrupted: true); }
        // Every run had started when cancellation came: those it stopped saved their checkpoints and exited on their own.
        return new SweepOutcome(failures, Interrupted: stopped > 0);
    }

    // The process's exit code, and whether cancellation stopped it.
    private async Task<(int Code, bool Cancelled)> RunProcess(RunConfig config, string runDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(runDirectory);
        string request = Path.Combine(runDirectory, "request.json");
        AtomicFile.WriteAllBytes(request, Encoding.UTF8.GetBytes(config.ToJson()));
        ProcessStartInfo start = _trainProcess(request, runDirectory);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        // The log streams as the process writes, so a long run can be followed with tail -f.
        using var log = new StreamWriter(Path.Combine(runDirectory, "train.log"), append: true) { AutoFlush = true };
        var logLock = new object();
        DataReceivedEventHandler append = (_, e) => { if (e.Data is not null) lock (logLock) log.WriteLine(e.Data); };
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        if (!process.Start()) throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try { await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false); }
        catch (OperationCanceledException)
        {
            // Ctrl+C in a terminal reaches the processes too, but a SIGTERM sent to this process alone (Kubernetes stops a
            // pod's first process, Slurm's --signal=B: the batch shell) does not: pass it on, give each process a moment
            // to save its checkpoint, then stop it.
            if (!OperatingSystem.IsWindows() && !process.HasExited) _ = kill(process.Id, SigTerm);
            if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return (process.ExitCode, process.ExitCode != 0); // one that finished meanwhile was not stopped
        }
        return (process.ExitCode, false);
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}

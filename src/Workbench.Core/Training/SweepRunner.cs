using System.Diagnostics;
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
    /// Cancelling gives every started process up to 10 s to save its checkpoint, then stops it.
    /// </summary>
    public SweepOutcome Run(IReadOnlyList<(int Index, RunConfig Config)> runs, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        Directory.CreateDirectory(directory);
        int failures = 0;
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
                int code = await RunProcess(item.Config, runDirectory, cancellationToken).ConfigureAwait(false);
                RunFinished?.Invoke(new SweepRunReport(name, runDirectory, Skipped: false, code));
                if (code != 0) Interlocked.Increment(ref failures);
            }
            finally { gate.Release(); }
        }).ToArray();
        try { Task.WaitAll(tasks); }
        catch (AggregateException) when (cancellationToken.IsCancellationRequested) { return new SweepOutcome(failures, Interrupted: true); }
        return new SweepOutcome(failures, Interrupted: false);
    }

    private async Task<int> RunProcess(RunConfig config, string runDirectory, CancellationToken cancellationToken)
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
            // Ctrl+C in a terminal reaches the processes too: give each a moment to save its checkpoint, then stop it.
            if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        return process.ExitCode;
    }
}

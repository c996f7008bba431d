using System.Diagnostics;
using Workbench.Training;

namespace Workbench.Cli.Tests.Training;

/// <summary>
/// SIGTERM sent to <c>workbench sweep</c> alone (a Kubernetes pod's first process, Slurm's <c>--signal=B:</c>) reaches
/// its training processes, which save their checkpoints; the same command then finishes the sweep exactly as an
/// uninterrupted one.
/// </summary>
public sealed class SweepTerminationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wb-sweep-term-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // Two configurations of 64 steps: long enough (several seconds each) to be stopped while they train.
    internal const string Grid = """{"base": {"task": "adding", "hidden": 64, "seq_len": 100, "batch_size": 32, "steps": 64}, "grid": {"model": ["gru", "lstm"], "seed": [1, 2]}}""";

    [Fact]
    public async Task SigtermReachesTheRunsWhichResumeBitForBit()
    {
        if (OperatingSystem.IsWindows()) return; // no SIGTERM
        File.WriteAllText(Path.Combine(_root, "grid.json"), Grid);
        string[] sweep = ["sweep", "--grid", "grid.json", "--shard", "1/2", "--parallel", "2"];

        using (var process = WorkbenchProcess.Start([.. sweep, "--out", "stopped"], workingDirectory: _root))
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            // Both runs of the shard have taken steps (their progress lines are in train.log).
            string[] logs = new[] { "000-adding-gru-h64-l1-t100-s1", "002-adding-lstm-h64-l1-t100-s1" }.Select(r => Path.Combine(_root, "stopped", r, "train.log")).ToArray();
            var clock = Stopwatch.StartNew();
            while (!logs.All(Stepping) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120)) await Task.Delay(50);
            if (!logs.All(Stepping))
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                Assert.Fail($"the runs did not start training: {await stdout}{await stderr}");
            }
            using (var kill = Process.Start("sh", ["-c", $"kill -TERM {process.Id}"])) kill.WaitForExit(); // the shell builtin: no procps needed
            bool exited = process.WaitForExit(60_000);
            if (!exited) process.Kill(entireProcessTree: true);
            Assert.True(exited, "workbench sweep did not stop after SIGTERM");
            Assert.Equal(143, process.ExitCode);
            Assert.Contains("sweep: terminated", await stderr);
            foreach (string log in logs)
            {
                string run = Path.GetDirectoryName(log)!;
                var summary = RunFolder.ReadSummary(run);
                Assert.Equal("cancelled", summary.Status); // stopped by the signal, not left to finish on its own
                Assert.InRange(summary.Steps, 1, 63);
                Assert.Contains("train: terminated at step", File.ReadAllText(log));
            }
        }

        var resumed = WorkbenchProcess.Run([.. sweep, "--out", "stopped"], timeoutSeconds: 300, workingDirectory: _root);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        var whole = WorkbenchProcess.Run([.. sweep, "--out", "whole"], timeoutSeconds: 300, workingDirectory: _root);
        Assert.True(whole.ExitCode == 0, whole.Stdout + whole.Stderr);
        SweepFolders.AssertSame(Path.Combine(_root, "whole"), Path.Combine(_root, "stopped"));
    }

    internal static bool Stepping(string trainLog)
    {
        try { return File.Exists(trainLog) && File.ReadLines(trainLog).Any(line => line.StartsWith("step ", StringComparison.Ordinal)); }
        catch (IOException) { return false; }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Workbench.Cli.Tests.Training;
using Workbench.Training;
using Xunit.Sdk;

namespace Workbench.Cli.Tests.Clusters;

/// <summary>
/// A sweep as a Slurm job array on a real one-node cluster: <c>scripts/slurm/sweep.sbatch</c>, as docs/clusters.md
/// gives it to users, submitted with <c>sbatch --array=0-3</c>. While they train, task 1 is requeued
/// (<c>scontrol requeue</c>: SIGTERM to every process of the task) and task 2 gets the time-limit warning
/// (<c>--signal=B:USR1</c>, sent with <c>scancel --batch --signal=USR1</c>: the script stops the sweep and requeues
/// itself); both resume from their checkpoints, and the run folders come out as the same sweep run locally.
/// </summary>
public sealed class SlurmSweepTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wb-slurm-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // Configuration i is array task i, shard i+1 of 4.
    private const string RequeuedRun = "001-adding-gru-h64-l1-t100-s2", TimeLimitedRun = "002-adding-lstm-h64-l1-t100-s1";

    [SlurmFact]
    public void ArrayJobWithStoppedAndRequeuedTasksMatchesTheLocalSweepBitForBit()
    {
        // Both sweeps run in the same folder, which is no git checkout, so run.json records the same (no) commit.
        File.WriteAllText(Path.Combine(_root, "grid.json"), SweepTerminationTests.Grid);
        var local = WorkbenchProcess.Run(["sweep", "--grid", "grid.json", "--out", "local", "--parallel", "2"], timeoutSeconds: 300, workingDirectory: _root);
        Assert.True(local.ExitCode == 0, local.Stdout + local.Stderr);

        using var cluster = SlurmCluster.Start(Path.Combine(_root, "cluster"));
        string job = "";
        try
        {
            string script = Path.Combine(SlurmCluster.RepositoryRoot(), "scripts", "slurm", "sweep.sbatch");
            var submitted = cluster.Client("sbatch", "--parsable", "--array=0-3", "--cpus-per-task=1", $"--chdir={_root}",
                "--output=slurm-%A_%a.log", $"--export=ALL,GRID=grid.json,OUT=slurm,WORKBENCH={WorkbenchProcess.Apphost}", script);
            Assert.True(submitted.ExitCode == 0, "sbatch: " + submitted.Output);
            job = submitted.Output.Trim().Split(';')[0];

            // Each while it trains: Slurm shows it running and its run has taken steps.
            void WhenTraining(string task, string run)
            {
                string trainLog = Path.Combine(_root, "slurm", run, "train.log");
                Within(TimeSpan.FromSeconds(180), $"task {task} to be running and training",
                    () => State(cluster, $"{job}_{task}") == "RUNNING" && SweepTerminationTests.Stepping(trainLog));
            }
            WhenTraining("1", RequeuedRun);
            var requeue = cluster.Client("scontrol", "requeue", $"{job}_1");
            Assert.True(requeue.ExitCode == 0, "scontrol requeue: " + requeue.Output);
            WhenTraining("2", TimeLimitedRun);
            var warn = cluster.Client("scancel", "--batch", "--signal=USR1", $"{job}_2");
            Assert.True(warn.ExitCode == 0, "scancel --signal=USR1: " + warn.Output);

            Within(TimeSpan.FromSeconds(300), "every task to finish", () => cluster.Client("squeue", "-h", "-j", job).Output.Trim().Length == 0);

            var tasks = Tasks(cluster, job);
            Assert.Equal(["0", "1", "2", "3"], tasks.Keys.Order());
            foreach (var (id, fields) in tasks)
            {
                Assert.True(fields["JobState"] == "COMPLETED" && fields["ExitCode"] == "0:0", $"task {id}: {fields["JobState"]}, exit {fields["ExitCode"]}");
                Assert.Equal(id is "1" or "2" ? "1" : "0", fields["Restarts"]);
            }

            // Tasks 1 and 2 were stopped mid-run with their checkpoints saved, then resumed from them (not started over).
            foreach (var (task, run) in new[] { ("1", RequeuedRun), ("2", TimeLimitedRun) })
            {
                string log = File.ReadAllText(Path.Combine(_root, "slurm", run, "train.log"));
                var stopped = Regex.Match(log, @"train: terminated at step (\d+); checkpoint saved");
                Assert.True(stopped.Success, $"task {task}: the run was not stopped by SIGTERM:\n{log}");
                Assert.InRange(long.Parse(stopped.Groups[1].Value, CultureInfo.InvariantCulture), 1, 63);
                Assert.Contains("train: completed after 64 steps", log[stopped.Index..]);
                Assert.Contains("start 1,", File.ReadAllText(Path.Combine(_root, $"slurm-{job}_{task}.log")));
            }

            SweepFolders.AssertSame(Path.Combine(_root, "local"), Path.Combine(_root, "slurm"));
            Assert.All(RunFolder.LoadRuns(Path.Combine(_root, "slurm"))["status"].Cast<string>(), s => Assert.Equal("completed", s));
        }
        catch (Exception e) when (e is XunitException or TimeoutException)
        {
            throw new XunitException($"{e.Message}\n--- job {job}\n{JobLogs()}\n{cluster.Logs()}");
        }
    }

    // Polls until the condition holds; a bounded wait, never a fixed sleep that a slow machine could outrun.
    private static void Within(TimeSpan limit, string what, Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) throw new TimeoutException($"waited {limit.TotalSeconds:F0} s for {what}");
            Thread.Sleep(100);
        }
    }

    private static string? State(SlurmCluster cluster, string task)
    {
        var (code, output) = cluster.Client("squeue", "-h", "-j", task, "-o", "%T");
        return code == 0 ? output.Trim() : null;
    }

    // scontrol show job, one line per array task: task id → its Key=Value fields.
    private static Dictionary<string, Dictionary<string, string>> Tasks(SlurmCluster cluster, string job)
    {
        var (code, output) = cluster.Client("scontrol", "-o", "show", "job", job);
        Assert.True(code == 0, "scontrol show job: " + output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(f => f.Contains('=', StringComparison.Ordinal))
                .Select(f => f.Split('=', 2)).GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => g.First()[1]))
            .ToDictionary(fields => fields["ArrayTaskId"]);
    }

    private string JobLogs() => string.Join("\n", Directory.GetFiles(_root, "slurm-*.log").Order(StringComparer.Ordinal)
        .Select(path => $"--- {Path.GetFileName(path)}\n{File.ReadAllText(path)}"));
}

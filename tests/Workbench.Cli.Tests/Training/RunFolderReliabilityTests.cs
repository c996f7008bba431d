using System.Diagnostics;
using System.Globalization;
using Workbench.Training;

namespace Workbench.Cli.Tests.Training;

/// <summary>
/// Run folders never lose work: resumes check before they write, damaged folders get one line naming the file,
/// finished runs stay finished, killed runs resume with the same losses as runs that were never stopped.
/// </summary>
public sealed class RunFolderReliabilityTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"wb-rel-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static string[] Adding(string steps, string output, params string[] extra) =>
        ["train", "--task", "adding", "--hidden", "8", "--seq-len", "10", "--batch-size", "8", "--steps", steps, "--out", output, .. extra];

    private string Trained(string name, string steps = "6")
    {
        string run = Path.Combine(_root, name);
        var result = WorkbenchProcess.Run(Adding(steps, run));
        Assert.True(result.ExitCode == 0, result.Stderr);
        return run;
    }

    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    private static void AssertUntouched(Dictionary<string, byte[]> before, string folder)
    {
        var after = Snapshot(folder);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed");
    }

    private static void AssertOneLineNaming(WorkbenchProcess.Result result, string file)
    {
        Assert.Equal(2, result.ExitCode);
        string error = result.Stderr.Trim();
        Assert.Single(error.Split('\n'));
        Assert.Contains(file, error);
        Assert.DoesNotContain("   at ", error);
    }

    private static double[] Losses(string run) =>
        File.ReadLines(Path.Combine(run, RunFolder.StepsFile)).Skip(1)
            .Select(line => double.Parse(line.Split(',')[2], CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void ResumeWithAnotherModelLeavesTheFolderUntouched()
    {
        string run = Trained("wrong-hidden");
        var before = Snapshot(run);
        var result = WorkbenchProcess.Run(["train", "--task", "adding", "--hidden", "16", "--seq-len", "10", "--batch-size", "8", "--steps", "9", "--out", run, "--resume"]);
        AssertOneLineNaming(result, RunFolder.ConfigFile);
        Assert.Contains("hidden 8 → 16", result.Stderr);
        AssertUntouched(before, run);
    }

    [Theory]
    [InlineData("truncated-checkpoint")]
    [InlineData("bad-config")]
    [InlineData("missing-steps")]
    [InlineData("bad-steps")]
    [InlineData("bad-summary")]
    public void DamagedRunFolderGivesOneLineNamingTheFileAndExit2(string damage)
    {
        string run = Trained(damage);
        string file = damage switch
        {
            "truncated-checkpoint" => RunFolder.CheckpointFile,
            "bad-config" => RunFolder.ConfigFile,
            "bad-summary" => RunFolder.SummaryFile,
            _ => RunFolder.StepsFile,
        };
        string path = Path.Combine(run, file);
        switch (damage)
        {
            case "truncated-checkpoint": File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]); break;
            case "bad-config": File.WriteAllText(path, "{\"task\": \"adding\", \"hidden\": "); break;
            case "missing-steps": File.Delete(path); break;
            case "bad-steps": File.WriteAllText(path, "step,epoch,loss\nzero,one,two\n"); break;
            case "bad-summary": File.WriteAllText(path, "[1, 2"); break;
        }
        var before = Snapshot(run);
        // Both ways of resuming: options given again, and options read from the folder's config.json.
        AssertOneLineNaming(WorkbenchProcess.Run(["train", "--out", run, "--resume"]), file);
        AssertUntouched(before, run);
        if (damage != "bad-config")
        {
            AssertOneLineNaming(WorkbenchProcess.Run(Adding("9", run, "--resume")), file);
            AssertUntouched(before, run);
        }
    }

    [Fact]
    public void FinishedRunIsRecognisedAndRelaunchingItChangesNothing()
    {
        string run = Trained("finished");
        var before = Snapshot(run);
        for (int launch = 0; launch < 2; launch++)
        {
            var again = WorkbenchProcess.Run(["train", "--out", run, "--resume"]);
            Assert.True(again.ExitCode == 0, again.Stderr);
            Assert.Contains("completed after 6 steps", again.Stdout);
            AssertUntouched(before, run);
        }
        // A larger budget is a continuation, not a finished run.
        var longer = WorkbenchProcess.Run(Adding("8", run, "--resume"));
        Assert.True(longer.ExitCode == 0, longer.Stderr);
        Assert.Equal(8, RunFolder.ReadSummary(run).Steps);
        Assert.Equal(Losses(Trained("straight-8", "8")), Losses(run));
    }

    [Fact]
    public void StaleTemporariesOfAKilledWriteAreRemovedByTheNextRun()
    {
        string run = Trained("stale", "3");
        string stale = Path.Combine(run, $"{RunFolder.CheckpointFile}.tmp-{Guid.NewGuid():N}");
        File.WriteAllBytes(stale, new byte[10]);
        var resumed = WorkbenchProcess.Run(Adding("5", run, "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.False(File.Exists(stale));
        Assert.Empty(Directory.EnumerateFiles(run, "*.tmp-*"));
    }

    [Fact]
    public void SampleReadsTheRunsVocabularyNotTheCorpusAgain()
    {
        string corpus = Path.Combine(_root, "corpus.txt");
        Directory.CreateDirectory(_root);
        File.WriteAllText(corpus, string.Concat(Enumerable.Repeat("abba cadabra. ", 200)));
        string run = Path.Combine(_root, "lm");
        var trained = WorkbenchProcess.Run(["train", "--task", "charlm", "--corpus", corpus, "--hidden", "8", "--embedding-dim", "4", "--seq-len", "8", "--batch-size", "4", "--steps", "4", "--out", run]);
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        string[] sample = ["sample", "--run", run, "--prime", "ab", "-n", "40", "--seed", "3"];
        var first = WorkbenchProcess.Run(sample);
        Assert.True(first.ExitCode == 0, first.Stderr);
        // The corpus changes after training (new characters): the model's vocabulary is still the one it learnt.
        File.WriteAllText(corpus, "xyz QRS 123 " + File.ReadAllText(corpus));
        var second = WorkbenchProcess.Run(sample);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal(first.Stdout, second.Stdout);
        File.Delete(corpus);
        Assert.Equal(first.Stdout, WorkbenchProcess.Run(sample).Stdout);
    }

    [Fact]
    public void MostStepsSkippedIsNotCompleted()
    {
        string run = Path.Combine(_root, "diverged");
        // A learning rate beyond float's range makes every update overflow; each is undone and skipped.
        var result = WorkbenchProcess.Run(Adding("5", run, "--optimizer", "sgd", "--lr", "1e39", "--skip-nonfinite"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("diverged", result.Stderr);
        var summary = RunFolder.ReadSummary(run);
        Assert.Equal("diverged", summary.Status);
        Assert.Contains("5 of 5 steps were skipped", summary.Error);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public async Task KilledRunResumesWithIdenticalLosses(string signal)
    {
        if (OperatingSystem.IsWindows()) return;
        const int total = 400;
        string straight = Trained("straight", total.ToString(CultureInfo.InvariantCulture));
        string run = Path.Combine(_root, $"killed-{signal}");
        using var process = WorkbenchProcess.Start(Adding(total.ToString(CultureInfo.InvariantCulture), run, "--checkpoint-every", "20"));
        _ = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Wait until a periodic checkpoint exists, then stop the process the hard or the polite way.
        string summaryPath = Path.Combine(run, RunFolder.SummaryFile);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(summaryPath) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120)) Thread.Sleep(20);
        Assert.False(process.HasExited, "the run ended before it could be killed; give it more steps");
        using (var kill = Process.Start("sh", ["-c", $"kill -{signal} {process.Id}"])) kill.WaitForExit();
        Assert.True(process.WaitForExit(60_000), "workbench train did not stop");
        if (signal == "TERM")
        {
            Assert.Equal(143, process.ExitCode);
            Assert.Contains("terminated at step", await stderr);
            Assert.Equal("cancelled", RunFolder.ReadSummary(run).Status);
        }
        long stoppedAt = RunFolder.ReadSummary(run).Steps;
        Assert.InRange(stoppedAt, 1, total - 1);

        var resumed = WorkbenchProcess.Run(["train", "--out", run, "--resume"], timeoutSeconds: 300);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(total, RunFolder.ReadSummary(run).Steps);
        Assert.Equal(Losses(straight), Losses(run));
        Assert.Empty(Directory.EnumerateFiles(run, "*.tmp-*"));
    }

    [Theory]
    [InlineData("--hidden", "100000", "--hidden must be at most 8192")]
    [InlineData("--seq-len", "2000000000", "--seq-len must be at most")]
    [InlineData("--layers", "1000", "--layers must be at most")]
    [InlineData("--checkpoint-every", "soon", "--checkpoint-every")]
    public void OutOfRangeNumbersGiveOneLine(string option, string value, string named)
    {
        var result = WorkbenchProcess.Run(["train", "--task", "adding", option, value, "--steps", "1", "--out", Path.Combine(_root, "x")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains(named, result.Stderr);
    }

    [Fact]
    public void SampleRefusesAHugeLength()
    {
        var result = WorkbenchProcess.Run(["sample", "--run", Path.Combine(_root, "none"), "-n", "2000000000"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("-n must be between 0 and", result.Stderr);
    }
}

using System.Diagnostics;
using Workbench.Training;

namespace Workbench.Cli.Tests.Training;

public sealed class InterruptTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"wb-int-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void CtrlCSavesACheckpointAndStopsCleanly()
    {
        if (OperatingSystem.IsWindows()) return; // SIGINT is sent with the shell's kill
        string run = Path.Combine(_root, "long");
        using var process = WorkbenchProcess.Start(["train", "--task", "adding", "--hidden", "8", "--seq-len", "10", "--steps", "10000000", "--out", run]);
        string? header = process.StandardError.ReadLine(); // printed once training starts
        Assert.StartsWith("train:", header);
        // The first epoch's line: at least one step has run. (A fixed pause raced with a loaded machine: no step yet.)
        string? epoch = process.StandardOutput.ReadLine();
        Assert.StartsWith("epoch ", epoch);
        var stdout = process.StandardOutput.ReadToEndAsync();
        // The shell builtin, so the test does not depend on procps being installed.
        using (var kill = Process.Start("sh", ["-c", $"kill -INT {process.Id}"])) kill.WaitForExit();
        bool exited = process.WaitForExit(30_000);
        if (!exited) process.Kill(entireProcessTree: true);
        Assert.True(exited, "workbench train did not stop after SIGINT");
        string rest = process.StandardError.ReadToEnd();
        Assert.Equal(130, process.ExitCode);
        Assert.Contains("interrupted at step", rest);
        var summary = RunFolder.ReadSummary(run);
        Assert.Equal("cancelled", summary.Status);
        Assert.InRange(summary.Steps, 1, 9_999_999);
        Assert.True(File.Exists(Path.Combine(run, RunFolder.CheckpointFile)));

        // The checkpoint resumes: a few more steps continue from where it stopped.
        var resumed = WorkbenchProcess.Run(["train", "--task", "adding", "--hidden", "8", "--seq-len", "10", "--steps", (summary.Steps + 3).ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", run, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(summary.Steps + 3, RunFolder.ReadSummary(run).Steps);
    }
}

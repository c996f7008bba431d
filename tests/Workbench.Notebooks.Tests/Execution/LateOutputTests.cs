using Workbench.Notebooks.Execution;

namespace Workbench.Notebooks.Tests.Execution;

/// <summary>Text a cell's task or timer writes after the cell ended reaches the running cell, or else the last one.</summary>
public sealed class LateOutputTests : IDisposable
{
    private readonly NotebookSession _session = new();

    public void Dispose() => _session.Dispose();

    private static async Task WaitFor(RecordingOutput output, string text)
    {
        // A deadline for something that must happen, not a timing.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!output.Stdout.Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(10);
    }

    [Fact]
    public async Task OutputAfterTheCellEndedGoesToTheLastCellWhenNoneRuns()
    {
        var first = new RecordingOutput();
        Assert.Null((await _session.ExecuteAsync("var go = new SemaphoreSlim(0);\n_ = Task.Run(async () => { await go.WaitAsync(); Console.WriteLine(\"late one\"); });", first)).Error);
        var last = new RecordingOutput();
        Assert.Null((await _session.ExecuteAsync("go.Release();", last)).Error);
        await WaitFor(last, "late one");
        Assert.Equal("late one\n", last.Stdout);
        Assert.Equal("", first.Stdout);
    }

    [Fact]
    public async Task OutputAfterTheCellEndedGoesToTheRunningCell()
    {
        Assert.Null((await _session.ExecuteAsync("var go = new SemaphoreSlim(0);\nvar done = new SemaphoreSlim(0);\n_ = Task.Run(async () => { await go.WaitAsync(); Console.WriteLine(\"from the task\"); done.Release(); });", new RecordingOutput())).Error);
        var running = new RecordingOutput();
        var r = await _session.ExecuteAsync("Console.WriteLine(\"own\");\ngo.Release();\ndone.Wait();\nConsole.WriteLine(\"own again\");", running);
        Assert.Null(r.Error);
        Assert.Equal("own\nfrom the task\nown again\n", running.Stdout);
    }
}

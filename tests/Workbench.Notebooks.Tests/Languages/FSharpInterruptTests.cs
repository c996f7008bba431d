using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Tests.Execution;

namespace Workbench.Notebooks.Tests.Languages;

public sealed class FSharpInterruptTests
{
    private static async Task<CellExecutionResult> Run(NotebookSession session, string code) =>
        await session.ExecuteAsync(code, new RecordingOutput());

    // Starts a cell and interrupts it once it has printed "started" (so the interrupt lands inside its loop).
    private static async Task<CellExecutionResult> RunAndInterrupt(NotebookSession session, string code)
    {
        var output = new RecordingOutput();
        using var cts = new CancellationTokenSource();
        var run = session.ExecuteAsync(code, output, cts.Token);
        while (!output.Stdout.Contains("started", StringComparison.Ordinal) && !run.IsCompleted) await Task.Delay(20);
        cts.Cancel();
        return await run;
    }

    [Fact]
    public async Task InterruptStopsAnFSharpLoopThatChecksCancellationAndTheNextFSharpCellRuns()
    {
        using var session = new NotebookSession(new NotebookSessionOptions { InterruptGracePeriod = TimeSpan.FromSeconds(10) });
        Assert.Null((await Run(session, "#!fsharp\nlet kept = 5")).Error);
        var r = await RunAndInterrupt(session, "#!fsharp\nlet mutable turns = 0\nprintfn \"started\"\nwhile true do\n    Cancellation.ThrowIfCancellationRequested()\n    System.Threading.Thread.Sleep 10\n    turns <- turns + 1");
        Assert.True(r.Cancelled);
        Assert.Equal("OperationCanceledException", r.Error!.Name);
        var after = await Run(session, "#!fsharp\nkept * 2");
        Assert.Null(after.Error);
        Assert.Equal("10", after.Result!.GetText("text/plain"));
    }

    [Fact]
    public async Task FSharpLoopIgnoringTheInterruptIsReportedAndLaterFSharpCellsWaitForIt()
    {
        using var session = new NotebookSession(new NotebookSessionOptions { InterruptGracePeriod = TimeSpan.FromMilliseconds(200) });
        Assert.Null((await Run(session, "#!fsharp\nlet mutable finished = false")).Error);
        var r = await RunAndInterrupt(session, "#!fsharp\nprintfn \"started\"\nfor _ in 1 .. 20 do System.Threading.Thread.Sleep 100\nfinished <- true");
        Assert.True(r.Cancelled);
        Assert.Equal("CellNotRespondingToInterrupt", r.Error!.Name);
        Assert.Contains("restart", r.Error.Value);
        // C# does not wait for F#; the next F# cell runs once the unresponsive one has ended.
        Assert.Equal("2", (await Run(session, "1 + 1")).Result!.GetText("text/plain"));
        var after = await Run(session, "#!fsharp\nfinished");
        Assert.Null(after.Error);
        Assert.Equal("True", after.Result!.GetText("text/plain"));
    }
}

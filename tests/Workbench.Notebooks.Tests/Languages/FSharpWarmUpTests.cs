using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Languages;
using Workbench.Notebooks.Languages.FSharp;
using Workbench.Notebooks.Tests.Execution;

namespace Workbench.Notebooks.Tests.Languages;

/// <summary>
/// <see cref="NotebookSession.WarmKernelAsync"/> starts F# Interactive before any cell names F# (the kernel does so
/// once it is idle): a warmed session behaves as a fresh one, and cells that arrive during the warm-up wait for it and
/// get their own results.
/// </summary>
public sealed class FSharpWarmUpTests
{
    private static async Task<CellExecutionResult> Run(NotebookSession session, string code, CancellationToken token = default) =>
        await session.ExecuteAsync(code, new RecordingOutput(), token);

    private static string Plain(CellExecutionResult r)
    {
        Assert.Null(r.Error);
        Assert.NotNull(r.Result);
        return r.Result!.GetText("text/plain")!;
    }

    [Fact]
    public async Task WarmUpStartsFSharpAndLeavesNothingBehind()
    {
        using var session = new NotebookSession();
        Assert.DoesNotContain(session.Kernels, k => k is FSharpKernel);
        await session.WarmKernelAsync("fsharp");
        var fsharp = Assert.Single(session.Kernels.OfType<FSharpKernel>());
        Assert.True(fsharp.WarmAsync().IsCompletedSuccessfully); // the same warm-up, not a second one
        Assert.Empty(await fsharp.GetVariablesAsync(default));
        // The warm-up evaluation bound no `it`, as in a session that was never warmed.
        var it = await Run(session, "#!fsharp\nit");
        Assert.Equal("CompilationError", it.Error?.Name);
        Assert.Contains("'it' is not defined", it.Error!.Value);
        Assert.Null((await Run(session, "#!fsharp\nlet warmed = 20")).Error);
        Assert.Equal("40", Plain(await Run(session, "#!fsharp\nwarmed * 2")));
        Assert.Equal(new[] { "warmed" }, (await fsharp.GetVariablesAsync(default)).Select(v => v.Name));
    }

    [Fact]
    public async Task CellsDuringTheWarmUpGetTheirResultsFromTheOneFSharpKernel()
    {
        using var session = new NotebookSession();
        var warm = session.WarmKernelAsync("fsharp");
        var again = session.WarmKernelAsync("F#");
        // Sent while F# Interactive is starting: the cell waits for the start, not for a second one.
        var first = Run(session, "#!fsharp\nlet during = [ 1; 2; 3 ]\nList.sum during");
        Assert.Equal("6", Plain(await first));
        await Task.WhenAll(warm, again);
        Assert.Single(session.Kernels.OfType<FSharpKernel>());
        Assert.Equal("3", Plain(await Run(session, "#!fsharp\nList.length during")));
    }

    [Fact]
    public async Task AnFSharpCellInterruptedWhileFSharpWarmsUpIsCancelledAndTheNextOneRuns()
    {
        using var session = new NotebookSession(new NotebookSessionOptions { InterruptGracePeriod = TimeSpan.FromSeconds(10) });
        var warm = session.WarmKernelAsync("fsharp");
        using var cts = new CancellationTokenSource();
        // Whether the interrupt finds the cell waiting for the start or in its loop, the cell is cancelled.
        var cell = Run(session, "#!fsharp\nwhile true do\n    Cancellation.ThrowIfCancellationRequested()\n    System.Threading.Thread.Sleep 10", cts.Token);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));
        var r = await cell;
        Assert.True(r.Cancelled);
        Assert.Equal("OperationCanceledException", r.Error!.Name);
        await warm;
        Assert.Equal("7", Plain(await Run(session, "#!fsharp\n3 + 4")));
    }

    [Fact]
    public async Task WarmingAnUnknownKernelOrADisposedSessionFails()
    {
        var session = new NotebookSession();
        await Assert.ThrowsAsync<ValueSharingException>(() => session.WarmKernelAsync("cobol"));
        session.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => session.WarmKernelAsync("fsharp"));
    }
}

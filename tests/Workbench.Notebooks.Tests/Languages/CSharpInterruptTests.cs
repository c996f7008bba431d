using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Tests.Execution;

namespace Workbench.Notebooks.Tests.Languages;

/// <summary>
/// An interrupt stops a C# cell's own code (loops, recursion, sleeps and waits), not only the kernel's wait for it.
/// The grace period is long on purpose: a cell that kept running would be reported as not responding, not as interrupted.
/// </summary>
public sealed class CSharpInterruptTests : IDisposable
{
    private readonly NotebookSession _session = new(new NotebookSessionOptions { InterruptGracePeriod = TimeSpan.FromSeconds(20) });

    public void Dispose() => _session.Dispose();

    private static async Task<CellExecutionResult> Run(NotebookSession session, string code) =>
        await session.ExecuteAsync(code, new RecordingOutput());

    // Starts a cell and interrupts it once it has printed "started" (so the interrupt lands inside what follows).
    private static async Task<CellExecutionResult> RunAndInterrupt(NotebookSession session, string code)
    {
        var output = new RecordingOutput();
        using var cts = new CancellationTokenSource();
        var run = session.ExecuteAsync(code, output, cts.Token);
        while (!output.Stdout.Contains("started", StringComparison.Ordinal) && !run.IsCompleted) await Task.Delay(10);
        await Task.Delay(50); // into the loop or wait proper
        cts.Cancel();
        return await run;
    }

    private static string Plain(CellExecutionResult r)
    {
        Assert.Null(r.Error);
        return r.Result!.GetText("text/plain")!;
    }

    [Theory]
    [InlineData("while (true) { }")]
    [InlineData("while (true) ;")]
    [InlineData("long x = 0;\nfor (;;) x++;")]
    [InlineData("do { } while (true);")]
    [InlineData("foreach (var i in System.Linq.Enumerable.Repeat(1, int.MaxValue)) { }")]
    [InlineData("again:\ngoto again;")]
    [InlineData("int Depth(int n) => n == 0 ? 0 : 1 + Depth(n - 1);\nwhile (true) Depth(10000);")]
    [InlineData("long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);\nFib(80)")]
    [InlineData("double s = 0;\nfor (long i = 0; i < long.MaxValue; i++) s += Math.Sqrt(i);")]
    [InlineData("Thread.Sleep(600000);")]
    [InlineData("System.Threading.Thread.Sleep(TimeSpan.FromMinutes(10));")]
    [InlineData("Task.Delay(600000).Wait();")]
    [InlineData("await Task.Delay(600000);")]
    [InlineData("new SemaphoreSlim(0).Wait();")]
    [InlineData("await Task.Yield();\nnew SemaphoreSlim(0).Wait();")]
    [InlineData("new ManualResetEventSlim().Wait(TimeSpan.FromMinutes(10));")]
    [InlineData("var never = new TaskCompletionSource<int>();\nnever.Task.Wait();")]
    [InlineData("var gate = new object();\nlock (gate) Monitor.Wait(gate);")]
    [InlineData("var other = new Thread(() => Thread.Sleep(3000)) { IsBackground = true };\nother.Start();\nother.Join();")]
    [InlineData("var never = new TaskCompletionSource<int>();\nvar r = never.Task.Result;")]
    public async Task InterruptStopsTheCellAndTheNextCellRuns(string code)
    {
        Assert.Null((await Run(_session, "var kept = 21;")).Error);
        var r = await RunAndInterrupt(_session, "Console.WriteLine(\"started\");\n" + code);
        Assert.True(r.Cancelled);
        Assert.Equal("OperationCanceledException", r.Error!.Name);
        Assert.Equal("OperationCanceledException: The cell was interrupted.", r.Error.Traceback[0]);
        Assert.Equal("42", Plain(await Run(_session, "kept * 2")));
    }

    [Fact]
    public async Task AWaitTheCellReachesOnlyLongAfterTheInterruptIsWokenToo()
    {
        // The interrupt lands during a sort (library code: no check, no wait); only after it does the thread block in
        // Task.Result, a wait the rewrite cannot give a token. A busy machine delays any cell this way.
        var r = await RunAndInterrupt(_session,
            "var data = new double[8_000_000];\nvar random = new Random(1);\nfor (int i = 0; i < data.Length; i++) data[i] = random.NextDouble();\n" +
            "var never = new TaskCompletionSource<int>();\nConsole.WriteLine(\"started\");\nArray.Sort(data);\nvar r = never.Task.Result;");
        Assert.True(r.Cancelled);
        Assert.Equal("OperationCanceledException", r.Error!.Name);
    }

    [Fact]
    public async Task AnInterruptedLoopStopsAndKeepsWhatItAssigned()
    {
        var r = await RunAndInterrupt(_session, "long x = 0;\nConsole.WriteLine(\"started\");\nwhile (true) x++;");
        Assert.True(r.Cancelled);
        Assert.Equal(3, r.Error!.Line); // where it stopped
        Assert.Equal(new[] { "OperationCanceledException: The cell was interrupted.", "Cell In[1], line 3", "----> 3 while (true) x++;" }, r.Error.Traceback);
        // The loop no longer runs: x keeps its value (a running loop adds millions in 50 ms).
        Assert.Equal("True", Plain(await Run(_session, "var first = x;\nThread.Sleep(50);\nx > 0 && x == first")));
    }

    [Fact]
    public async Task AThreadTheCellStartedStopsQuietlyWithIt()
    {
        var key = $"wb-spinner-{Guid.NewGuid():N}";
        var r = await RunAndInterrupt(_session, $$"""
            long spins = 0;
            var spinner = new Thread(() => { while (true) spins++; }) { IsBackground = true };
            AppDomain.CurrentDomain.SetData("{{key}}", spinner);
            spinner.Start();
            Console.WriteLine("started");
            while (true) { }
            """);
        Assert.True(r.Cancelled);
        Assert.Equal("OperationCanceledException", r.Error!.Name);
        var spinner = (Thread)AppDomain.CurrentDomain.GetData(key)!;
        // A deadline, not a timing: the interrupt's flag stays raised until the next cell, so the spinner meets it.
        Assert.True(spinner.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal("True", Plain(await Run(_session, "var before = spins;\nThread.Sleep(20);\n!spinner.IsAlive && spins == before")));
    }

    [Fact]
    public async Task InterruptingOneSessionLeavesAnotherSessionsLoopRunning()
    {
        using var other = new NotebookSession();
        var release = Path.Combine(Path.GetTempPath(), $"wb-release-{Guid.NewGuid():N}");
        var otherOutput = new RecordingOutput();
        var otherRun = other.ExecuteAsync($"long n = 0;\nConsole.WriteLine(\"looping\");\nwhile (!File.Exists(@\"{release}\")) n++;\n\"done\"", otherOutput);
        while (!otherOutput.Stdout.Contains("looping", StringComparison.Ordinal)) await Task.Delay(10);
        var r = await RunAndInterrupt(_session, "Console.WriteLine(\"started\");\nwhile (true) { }");
        Assert.True(r.Cancelled);
        await File.WriteAllTextAsync(release, "");
        try
        {
            Assert.Equal("done", Plain(await otherRun));
        }
        finally
        {
            File.Delete(release);
        }
    }

    [Fact]
    public async Task RewrittenCellsComputeWhatTheyWouldAsWritten()
    {
        const string code = """
            var s = 0;
            for (var i = 0; i < 10; i++) s += i;
            var j = 0;
            while (j < 5) j++;
            do j--; while (j > 2);
            foreach (var (a, b) in new[] { (1, 2), (3, 4) }) s += a * b;
            var k = 0;
            top: if (++k < 4) goto top;
            int Twice(int v) => v <= 0 ? 0 : 2 + Twice(v - 1);
            void Nothing(int v) => Console.Write(v > 0 ? "" : nameof(Nothing));
            int Fails(int v) => v > 0 ? Fails(v - 1) : throw new InvalidOperationException();
            Nothing(1);
            ref int First(int[] xs, int k) => ref (k == 0 ? ref xs[0] : ref First(xs, k - 1));
            var arr = new[] { 7 };
            First(arr, 2) = 8;
            $"{s} {j} {k} {Twice(3)} {arr[0]}"
            """;
        Assert.Equal("59 2 4 6 8", Plain(await Run(_session, code)));
    }

    [Theory]
    [InlineData("for (var i = 0; i < 3; i++) { int x = \"a\"; }")]
    [InlineData("while (true)\n{\n    var y = 1;\n    y.Nope();\n}")]
    [InlineData("void F() { while (true) Thread.Sleep(1) }")]
    public async Task CompileErrorsAreThoseOfTheCellAsWritten(string code)
    {
        using var plain = new NotebookSession(new NotebookSessionOptions { InterruptChecks = false });
        var rewritten = (await Run(_session, code)).Error!;
        var written = (await Run(plain, code)).Error!;
        Assert.Equal("CompilationError", rewritten.Name);
        Assert.Equal(written.Traceback, rewritten.Traceback);
        Assert.Equal((written.Line, written.Column), (rewritten.Line, rewritten.Column));
    }

    [Fact]
    public async Task RuntimeErrorsInRewrittenCodeNameTheCellsLine()
    {
        var r = await Run(_session, "for (var i = 0; i < 3; i++)\n{\n    if (i == 2) throw new InvalidOperationException(\"third\");\n}");
        Assert.Equal("InvalidOperationException", r.Error!.Name);
        Assert.Equal(3, r.Error.Line);
        var m = await Run(_session, "int Div(int d) {\n    return 1 / d;\n}\nDiv(0)");
        Assert.Equal("DivideByZeroException", m.Error!.Name);
        Assert.Equal(2, m.Error.Line);
    }

    [Fact]
    public async Task AUsersOwnWaitAndSleepAreLeftAlone()
    {
        const string code = """
            class Clock { public string Sleep(int n) => $"slept {n}"; public string Wait() => "waited"; }
            var c = new Clock();
            c.Sleep(3) + " " + c.Wait()
            """;
        Assert.Equal("slept 3 waited", Plain(await Run(_session, code)));
    }
}

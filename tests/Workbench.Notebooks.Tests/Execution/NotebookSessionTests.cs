using Workbench.Notebooks.Mime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Workbench.Notebooks.Execution;

namespace Workbench.Notebooks.Tests.Execution;

public sealed class NotebookSessionTests : IDisposable
{
    private readonly NotebookSession _session = new();

    public void Dispose() => _session.Dispose();

    private async Task<CellExecutionResult> Run(string code, RecordingOutput? output = null) =>
        await _session.ExecuteAsync(code, output ?? new RecordingOutput());

    private static string Plain(CellExecutionResult r)
    {
        Assert.Null(r.Error);
        Assert.NotNull(r.Result);
        return r.Result!.GetText("text/plain")!;
    }

    [Fact]
    public async Task StateCarriesAcrossCellsAndTrailingExpressionIsTheResult()
    {
        var first = await Run("var x = 40;");
        Assert.True(first.Success);
        Assert.Null(first.Result);
        Assert.Equal("42", Plain(await Run("x + 2")));
        Assert.Equal(2, _session.ExecutionCount);
    }

    [Fact]
    public async Task TrailingDisplayShowsTheValueOnceAndNoResult()
    {
        var output = new RecordingOutput();
        var result = await Run("display(41 + 1)", output);
        Assert.True(result.Success);
        Assert.Null(result.Result);
        var shown = Assert.Single(output.Displays);
        Assert.Equal("42", shown.Bundle.GetText("text/plain"));
    }

    [Fact]
    public async Task DisplayHelpersNeedNoUsing()
    {
        var result = await Run("new Markdown(\"**bold**\")");
        Assert.Equal("**bold**", result.Result?.GetText("text/markdown"));
    }

    [Fact]
    public async Task ChartHelpersComeFromTheAssemblyTheNotebookReferences()
    {
        // Not imported by default: the notebooks reference Workbench.Plotting themselves, as the official kernel needs.
        Assert.False((await Run("Plot.Line(new[] { 1.0, 2.0 })")).Success);
        var path = typeof(Workbench.Plotting.Plot).Assembly.Location;
        var chart = await Run($"#r \"{path}\"\nusing Workbench.Plotting;\nPlot.Line(new[] {{ 1.0, 2.0 }}, new[] {{ 3.0, 4.0 }})");
        Assert.True(chart.Success);
        Assert.True(chart.Result!.Data.ContainsKey(Workbench.Notebooks.Formatting.PlotlyView.MimeType));
    }

    [Fact]
    public async Task TypesDeclaredInOneCellAreUsableLater()
    {
        Assert.True((await Run("class Foo { public int V => 7; }\nrecord P(int A);")).Success);
        Assert.Equal("7", Plain(await Run("new Foo().V")));
        Assert.Equal("P { A = 3 }", Plain(await Run("new P(3)")));
    }

    [Fact]
    public async Task StdoutAndStderrAreCaptured()
    {
        var output = new RecordingOutput();
        var r = await Run("Console.WriteLine(\"hello\");\nConsole.Error.Write(\"oops\");\nConsole.Write(1 + 1);", output);
        Assert.True(r.Success);
        Assert.Equal("hello\n2", output.Stdout);
        Assert.Equal("oops", output.Stderr);
    }

    [Fact]
    public async Task RuntimeErrorReportsTheLineWithinTheCellAndKeepsTheSession()
    {
        await Run("var a = 1;");
        var r = await Run("var b = 2;\n\nthrow new InvalidOperationException(\"boom\");");
        Assert.False(r.Success);
        Assert.Equal("InvalidOperationException", r.Error!.Name);
        Assert.Equal("boom", r.Error.Value);
        Assert.Equal(3, r.Error.Line);
        Assert.Contains(r.Error.Traceback, l => l.Contains("line 3", StringComparison.Ordinal));
        Assert.Equal("3", Plain(await Run("a + b")));
    }

    [Fact]
    public async Task ErrorInsideAMethodReportsTheCallingLineOfThisCell()
    {
        await Run("static int Fail() => throw new ArgumentException(\"bad\");");
        var r = await Run("int y = 0;\ny = Fail();");
        Assert.Equal("ArgumentException", r.Error!.Name);
        Assert.Equal(2, r.Error.Line);
    }

    [Fact]
    public async Task CompileErrorReportsCellRelativeLineAndColumn()
    {
        var r = await Run("var ok = 1;\n  undefinedName + 1");
        Assert.False(r.Success);
        Assert.Equal("CompilationError", r.Error!.Name);
        Assert.Equal(2, r.Error.Line);
        Assert.Equal(3, r.Error.Column);
        Assert.Contains("CS0103", r.Error.Value);
        Assert.Equal("5", Plain(await Run("2 + 3")));
    }

    [Fact]
    public async Task UsingsAnywhereAreHoistedAndLinesStillMatch()
    {
        var r = await Run("var sb = new StringBuilder();\nusing System.Numerics;\nvar c = new Complex(1, 2);\nc.Imaginary");
        Assert.Equal("2", Plain(r));
        var err = await Run("var z = 1;\nusing System.Text.RegularExpressions;\nvar q = Regex.Escape(\".\");\nthrow new Exception(q);");
        Assert.Equal(4, err.Error!.Line);
        Assert.Equal("\\.", err.Error.Value);
        var compile = await Run("int k = 0;\nusing System.Collections.Concurrent;\nk = \"text\";");
        Assert.Equal(3, compile.Error!.Line);
        Assert.Contains("CS0029", compile.Error.Value);
        // usings of cells that compiled stay in effect for later cells
        Assert.Equal("3", Plain(await Run("new Complex(3, 0).Real")));
        Assert.Equal("a\\+", Plain(await Run("Regex.Escape(\"a+\")")));
    }

    [Fact]
    public async Task TopLevelAwaitWorks()
    {
        Assert.Equal("5", Plain(await Run("await Task.Delay(10);\nawait Task.FromResult(5)")));
    }

    [Fact]
    public async Task DisplayAndUpdateShareTheDisplayId()
    {
        var output = new RecordingOutput();
        var r = await Run("Console.WriteLine(\"before\");\nvar h = display(1);\nh.Update(2);\ndisplay(\"<b>x</b>\", \"text/html\");", output);
        Assert.True(r.Success);
        Assert.Equal(3, output.Displays.Count);
        Assert.Equal("display", output.Displays[0].Kind);
        Assert.Equal("1", output.Displays[0].Bundle.GetText("text/plain"));
        Assert.Equal("update", output.Displays[1].Kind);
        Assert.Equal("2", output.Displays[1].Bundle.GetText("text/plain"));
        Assert.Equal(output.Displays[0].Id, output.Displays[1].Id);
        Assert.Equal("<b>x</b>", output.Displays[2].Bundle.GetText("text/html"));
        Assert.Equal("before\n", output.Stdout);
        // a later cell can update an earlier display
        var later = new RecordingOutput();
        await Run("h.Update(3);", later);
        Assert.Equal(("update", output.Displays[0].Id), (later.Displays[0].Kind, later.Displays[0].Id));
    }

    [Fact]
    public async Task InterruptCancelsTheCellsToken()
    {
        await Run("var before = 11;");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var r = await _session.ExecuteAsync("while (true) { Cancellation.ThrowIfCancellationRequested(); await Task.Delay(10); }", new RecordingOutput(), cts.Token);
        Assert.True(r.Cancelled);
        Assert.False(r.Success);
        Assert.Equal("11", Plain(await Run("before")));
    }

    [Fact]
    public async Task CellIgnoringTheInterruptIsReportedAsNotResponding()
    {
        using var session = new NotebookSession(new NotebookSessionOptions { InterruptGracePeriod = TimeSpan.FromMilliseconds(200) });
        await session.ExecuteAsync("var kept = 5;", new RecordingOutput());
        // Interrupt only once the cell is running: an interrupt during compilation is a clean cancellation, which
        // a fixed delay could hit on a loaded machine.
        using var cts = new CancellationTokenSource();
        var output = new RecordingOutput { OnStream = text => { if (text.Contains("running")) cts.Cancel(); } };
        // Native code is beyond the interrupt (loops, sleeps and waits of managed code are not: CSharpInterruptTests).
        var r = await session.ExecuteAsync("[System.Runtime.InteropServices.DllImport(\"libc\")] static extern uint sleep(uint seconds);\nConsole.WriteLine(\"running\"); sleep(3);", output, cts.Token);
        Assert.True(r.Cancelled);
        Assert.Equal("CellNotRespondingToInterrupt", r.Error!.Name);
        Assert.Contains("native code", r.Error.Value);
        Assert.Contains("restart", r.Error.Value);
        var after = await session.ExecuteAsync("kept * 2", new RecordingOutput());
        Assert.Equal("10", after.Result!.GetText("text/plain"));
    }

    [Fact]
    public async Task TheRealInteractiveAssemblyFromAnExtensionPackageIsNotReferenced()
    {
        // Extension packages (Plotly.NET.Interactive) bring Microsoft.DotNet.Interactive.dll; referencing it would make
        // the engine's Kernel ambiguous (CS0433). A stand-in of that name, with a Kernel of its own, plays the package.
        var dir = Directory.CreateTempSubdirectory("wb-standin-");
        try
        {
            var dll = Path.Combine(dir.FullName, "Microsoft.DotNet.Interactive.dll");
            var compilation = CSharpCompilation.Create("Microsoft.DotNet.Interactive",
                new[] { CSharpSyntaxTree.ParseText("namespace Microsoft.DotNet.Interactive { public static class Kernel { public static int Real => 1; } }") },
                new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            Assert.True(compilation.Emit(dll).Success);
            using var session = new NotebookSession(new NotebookSessionOptions { WorkingDirectory = dir.FullName });
            var output = new RecordingOutput();
            var r = await session.ExecuteAsync("#r \"Microsoft.DotNet.Interactive.dll\"\nMicrosoft.DotNet.Interactive.Kernel.display(3);", output);
            Assert.True(r.Success, r.Error?.Value);
            Assert.Equal("3", Assert.Single(output.Displays).Bundle.GetText("text/plain"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task KernelInvocationContextGivesTheCellsInterruptToken()
    {
        var r = await Run("using Microsoft.DotNet.Interactive;\nKernelInvocationContext.Current!.CancellationToken == Cancellation && Cancellation.CanBeCanceled");
        Assert.Equal("True", Plain(r));
        var shown = new RecordingOutput();
        Assert.True((await Run("Microsoft.DotNet.Interactive.KernelInvocationContext.Current!.DisplayAs(\"**b**\", \"text/markdown\");", shown)).Success);
        Assert.Equal("**b**", Assert.Single(shown.Displays).Bundle.GetText("text/markdown"));
    }

    [Fact]
    public async Task ReferenceDirectiveLoadsAnAssemblyFile()
    {
        var dir = Directory.CreateTempSubdirectory("wb-ref-");
        try
        {
            var dll = Path.Combine(dir.FullName, "Greeter.dll");
            var compilation = CSharpCompilation.Create("Greeter",
                new[] { CSharpSyntaxTree.ParseText("namespace G { public static class Greeter { public static string Hi(string n) => \"hi \" + n; } }") },
                new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var emit = compilation.Emit(dll);
            Assert.True(emit.Success);
            using var session = new NotebookSession(new NotebookSessionOptions { WorkingDirectory = dir.FullName });
            var r = await session.ExecuteAsync("#r \"Greeter.dll\"\nG.Greeter.Hi(\"you\")", new RecordingOutput());
            Assert.Equal("hi you", r.Result!.GetText("text/plain"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task DirectiveErrorsNameTheDirectiveAndLine()
    {
        var r = await Run("// comment\n#r \"does-not-exist.dll\"\n1");
        Assert.Equal("DirectiveError", r.Error!.Name);
        Assert.Equal(2, r.Error.Line);
        Assert.Contains("#r \"does-not-exist.dll\"", r.Error.Value);
        var p = await Run("#:project nowhere/Missing.csproj");
        Assert.Equal(1, p.Error!.Line);
        Assert.Contains("#:project", p.Error.Value);
        var bad = await Run("#:package NoVersion@");
        Assert.Contains("#:package", bad.Error!.Value);
    }

    [Fact]
    public async Task NuGetDirectiveRestoresFromTheLocalCache()
    {
        // Humanizer.Core is in the machine's NuGet cache (a dependency of Roslyn's workspaces) and not referenced by default.
        var r = await Run("#r \"nuget: Humanizer.Core, 2.14.1\"\nusing Humanizer;\n\"man\".Pluralize()");
        Assert.Equal("men", Plain(r));
        var s = await Run("#:package Humanizer.Core@2.14.1\n\"person\".Pluralize()");
        Assert.Equal("people", Plain(s));
    }

    [Fact]
    public async Task ConsoleReadLineAsksTheFrontEndAndFailsClearlyWhenItCannotAnswer()
    {
        var r = await Run("Console.ReadLine()");
        Assert.Equal("InputUnavailableException", r.Error!.Name);
        Assert.Equal("this front end cannot answer input: the cell asked for input ''", r.Error.Value);
        Assert.Null(Console.In.ReadLine()); // outside a cell: empty, never blocking on the real stdin
    }

    [Fact]
    public async Task CellWithOnlyDirectivesOrWhitespaceSucceedsWithoutResult()
    {
        var r = await Run("   \n\n");
        Assert.True(r.Success);
        Assert.Null(r.Result);
    }

    [Fact]
    public async Task MimeBundlesAreShownAsTheyAre()
    {
        var output = new RecordingOutput();
        var r = await Run("var b = new Workbench.Notebooks.Mime.MimeBundle().Add(\"text/markdown\", \"# Title\").Add(\"text/plain\", \"Title\");\ndisplay(b);\nb", output);
        Assert.Equal("# Title", r.Result!.GetText("text/markdown"));
        Assert.Equal("# Title", output.Displays[0].Bundle.GetText("text/markdown"));
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Workbench.Notebooks.Completion;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Languages;
using Workbench.Notebooks.Languages.FSharp;
using Workbench.Notebooks.Tests.Execution;

namespace Workbench.Notebooks.Tests.Languages;

/// <summary>One session with F# started, shared by the tests of a class (F# Interactive takes seconds to start).</summary>
public sealed class FSharpSessionFixture : IDisposable
{
    public NotebookSession Session { get; } = new();

    public void Dispose() => Session.Dispose();
}

public sealed class FSharpKernelTests : IClassFixture<FSharpSessionFixture>
{
    private readonly NotebookSession _session;

    public FSharpKernelTests(FSharpSessionFixture fixture) => _session = fixture.Session;

    private async Task<(CellExecutionResult Result, RecordingOutput Output)> Run(string code, string? kernel = null)
    {
        var output = new RecordingOutput();
        var result = await _session.ExecuteAsync(code, output, default, kernel);
        return (result, output);
    }

    private static string Plain(CellExecutionResult r)
    {
        Assert.Null(r.Error);
        Assert.NotNull(r.Result);
        return r.Result!.GetText("text/plain")!;
    }

    [Fact]
    public async Task FSharpCellsKeepTheirStateAndTheTrailingValueIsTheResult()
    {
        var (first, _) = await Run("#!fsharp\nlet answer = 40");
        Assert.True(first.Success);
        Assert.Null(first.Result);
        Assert.Equal("42", Plain((await Run("#!f#\nanswer + 2")).Result));
        Assert.Equal("43", Plain((await Run("answer + 3", kernel: "fsharp")).Result));
        // The value is formatted by the session's formatters, not F# Interactive's "val it: int = 44" text.
        Assert.Equal("[ 1, 2, 3 ]", Plain((await Run("#!fsharp\n[| 1; 2; 3 |]")).Result));
    }

    [Fact]
    public async Task PrintedTextGoesToTheCellsStreamsWithoutFSharpInteractivesChatter()
    {
        var (r, output) = await Run("#!fsharp\nlet printedValue = 1\nprintfn \"hello %d\" printedValue\neprintfn \"warn\"\nSystem.Console.WriteLine(\"console\")");
        Assert.Null(r.Error);
        Assert.Null(r.Result); // unit is no result
        Assert.Equal("hello 1\nconsole\n", output.Stdout);
        Assert.Equal("warn\n", output.Stderr);
        var (bad, badOutput) = await Run("#!fsharp\nlet broken : int = \"no\"");
        Assert.False(bad.Success);
        Assert.Equal("", badOutput.Stderr); // not F# Interactive's "Stopped due to error"
        Assert.Equal("", badOutput.Stdout);
    }

    [Fact]
    public async Task DisplayInFSharpShowsAValueAndUpdatesItInPlace()
    {
        var (r, output) = await Run("#!fsharp\nlet handle = display 41\nhandle.Update 42\ndisplay (\"<b>hi</b>\", \"text/html\")");
        Assert.Null(r.Error);
        Assert.Null(r.Result); // a trailing display is not also the result
        Assert.Equal(3, output.Displays.Count);
        Assert.Equal(("display", "41"), (output.Displays[0].Kind, output.Displays[0].Bundle.GetText("text/plain")));
        Assert.Equal(("update", "42"), (output.Displays[1].Kind, output.Displays[1].Bundle.GetText("text/plain")));
        Assert.Equal(output.Displays[0].Id, output.Displays[1].Id);
        Assert.Equal("<b>hi</b>", output.Displays[2].Bundle.GetText("text/html"));
    }

    [Fact]
    public async Task CompilationErrorsHaveTheCellsLinesAndFSharpCodes()
    {
        var (r, _) = await Run("var before = 1;\n#!fsharp\nlet fine = 1\nlet wrong : int = \"text\"");
        Assert.Equal("CompilationError", r.Error!.Name);
        Assert.Equal(4, r.Error.Line);
        Assert.Equal(19, r.Error.Column);
        Assert.Equal("(4,19): error FS0001: This expression was expected to have type 'int' but here has type 'string'", r.Error.Value);
        var (unknown, _) = await Run("#!fsharp\n\nnotDefinedAnywhere + 1");
        Assert.StartsWith("(3,1): error FS0039:", unknown.Error!.Value);
    }

    [Fact]
    public async Task RuntimeErrorsAreNamedByTheExceptionWithTheCellsLine()
    {
        // A recursive function keeps its own frame (the optimizer inlines small ones into the cell's top level).
        var (r, _) = await Run("#!fsharp\nlet rec fail n : int =\n    if n = 0 then raise (System.InvalidOperationException \"bad state\")\n    else fail (n - 1)\nlet never = fail 3");
        Assert.Equal("InvalidOperationException", r.Error!.Name);
        Assert.Equal("bad state", r.Error.Value);
        Assert.True(r.Error.Line == 3, string.Join("\n", r.Error.Traceback));
        Assert.Equal("InvalidOperationException: bad state", r.Error.Traceback[0]);
        Assert.Contains(r.Error.Traceback, l => l.Contains(".fsx:line 3", StringComparison.Ordinal));
        // The session is still usable.
        Assert.Equal("2", Plain((await Run("#!fsharp\n1 + 1")).Result));
    }

    [Fact]
    public async Task CSharpObjectsReachFSharpAsTheSameInstanceAndBack()
    {
        Assert.True((await Run("var shared = new List<int> { 1, 2, 3 };\nvar count = 42;")).Result.Success);
        var (r, _) = await Run("#!fsharp\n#!set --name fromCs --value @csharp:shared\n#!share --from csharp count\nfromCs.Add 4\nfromCs.Count + count");
        Assert.Equal("46", Plain(r));
        var fs = await _session.GetKernel("fsharp").GetValueAsync("fromCs", default);
        var cs = await _session.CSharp.GetValueAsync("shared", default);
        Assert.Same(cs!.Object, fs!.Object);
        Assert.Equal("List<int>", fs.TypeName);
        var (back, _) = await Run("#!share --from fsharp fromCs --as again\nReferenceEquals(again, shared) && again.Count == 4");
        Assert.Equal("True", Plain(back));
    }

    [Fact]
    public async Task FSharpNumbersArraysListsAndRecordsReachCSharp()
    {
        Assert.True((await Run("#!fsharp\ntype Point = { X: int; Y: float }\nlet point = { X = 1; Y = 2.5 }\nlet numbers = [| 1.5; 2.5 |]\nlet items = [ 1; 2; 3 ]\nlet big = 7L")).Result.Success);
        var (r, _) = await Run("#!share --from fsharp numbers\n#!share --from fsharp items\n#!share --from fsharp big\n#!share --from fsharp point\n$\"{numbers.Sum()} {items.Length} {big.GetType().Name} {point.GetType().Name}\"");
        Assert.Equal("4 3 Int64 Point", Plain(r));
        var fs = await _session.GetKernel("fsharp").GetValueAsync("point", default);
        var cs = await _session.CSharp.GetValueAsync("point", default);
        Assert.Same(fs!.Object, cs!.Object);
        Assert.Equal("Point", fs.TypeName);
        var array = await _session.CSharp.GetValueAsync("numbers", default);
        Assert.Equal("double[]", array!.TypeName);
    }

    [Fact]
    public async Task CSharpRecordsAndJsonValuesReachFSharp()
    {
        Assert.True((await Run("record Pair(int A, string B);\nvar pair = new Pair(3, \"x\");")).Result.Success);
        var (r, _) = await Run("#!fsharp\n#!share --from csharp pair\n#!set --name json --value @csharp:pair --mime-type application/json\npair.ToString() + \" \" + string json.Count");
        Assert.Equal("Pair { A = 3, B = x } 2", Plain(r));
        var fs = await _session.GetKernel("fsharp").GetValueAsync("pair", default);
        Assert.Same((await _session.CSharp.GetValueAsync("pair", default))!.Object, fs!.Object);
        Assert.Equal("obj", fs.TypeName); // F# cannot name a type declared in a C# cell
        var kernel = _session.GetKernel("fsharp");
        await kernel.SetValueAsync("fromJson", KernelValue.FromJson("[1, 2.5, \"three\"]", "list"), default);
        Assert.Equal("3 1 2.5", Plain((await Run("#!fsharp\nsprintf \"%d %O %O\" fromJson.Length fromJson[0] fromJson[1]")).Result));
        await kernel.SetValueAsync("nothing", KernelValue.FromObject(null), default);
        Assert.Equal("True", Plain((await Run("#!fsharp\nisNull nothing")).Result));
        await Assert.ThrowsAsync<ValueSharingException>(() => kernel.SetValueAsync("not valid", KernelValue.FromObject(1), default));
    }

    [Fact]
    public async Task VariablesAreListedInDeclarationOrderWithFSharpTypeNames()
    {
        Assert.True((await Run("#!fsharp\nlet zWho = 1\nlet aWho = [ \"a\" ]")).Result.Success);
        Assert.True((await Run("#!fsharp\nlet mWho = Map.ofList [ (\"k\", 2.0) ]")).Result.Success);
        var vars = await _session.GetKernel("fsharp").GetVariablesAsync(default);
        var mine = vars.Where(v => v.Name.EndsWith("Who", StringComparison.Ordinal)).ToList();
        Assert.Equal(new[] { "aWho", "zWho", "mWho" }, mine.Select(v => v.Name)); // a cell's own names sort by name
        Assert.Equal(new[] { "string list", "int", "Map<string,float>" }, mine.Select(v => v.TypeName));
        Assert.Equal("1", mine[1].Value);
        Assert.DoesNotContain(vars, v => v.Name == "it");
    }

    [Fact]
    public async Task ReferencedAssemblyHasOneIdentityInBothLanguages()
    {
        var dir = Directory.CreateTempSubdirectory("wb-fsref-");
        try
        {
            var dll = Path.Combine(dir.FullName, "FsGreeter.dll");
            var compilation = CSharpCompilation.Create("FsGreeter",
                new[] { CSharpSyntaxTree.ParseText("namespace G { public static class Greeter { public static string Hi(string n) => \"hi \" + n; } }") },
                new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            Assert.True(compilation.Emit(dll).Success);
            using var session = new NotebookSession(new NotebookSessionOptions { WorkingDirectory = dir.FullName });
            var cs = await session.ExecuteAsync("#r \"FsGreeter.dll\"\nvar csAssembly = typeof(G.Greeter).Assembly;", new RecordingOutput());
            Assert.Null(cs.Error);
            var fs = await session.ExecuteAsync("#!fsharp\n#r \"FsGreeter.dll\"\nlet fsAssembly = typeof<G.Greeter>.Assembly\nG.Greeter.Hi \"you\"", new RecordingOutput());
            Assert.Equal("hi you", fs.Result?.GetText("text/plain"));
            var a = await session.CSharp.GetValueAsync("csAssembly", default);
            var b = await session.GetKernel("fsharp").GetValueAsync("fsAssembly", default);
            Assert.Same(a!.Object, b!.Object);
            var missing = await session.ExecuteAsync("#!fsharp\n\n#r \"Nowhere.dll\"", new RecordingOutput());
            Assert.Equal("DirectiveError", missing.Error!.Name);
            Assert.Equal(3, missing.Error.Line);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task CompletionAndInspectSeeTheSessionsNames()
    {
        Assert.True((await Run("#!fsharp\nlet completeMe = 3")).Result.Success);
        var kernel = (ILanguageCompletion)_session.GetKernel("fsharp");
        var names = await kernel.CompleteAsync("complete", 8, default);
        Assert.Contains("completeMe", names.Matches);
        Assert.Equal((0, 8), (names.CursorStart, names.CursorEnd));
        var members = await kernel.CompleteAsync("System.Math.Ab", 14, default);
        Assert.Contains("Abs", members.Matches);
        Assert.Equal(12, members.CursorStart);
        var text = await kernel.InspectAsync("completeMe + 1", 3, default);
        Assert.Contains("completeMe: int", text);
        var documented = await kernel.InspectAsync("display 1", 3, default);
        Assert.Contains("display", documented);
        Assert.Contains("Displays a value (formatted by the session's formatters)", documented);
    }

    [Fact]
    public async Task PolyglotCompletionGoesToTheKernelOfThePartTheCursorIsIn()
    {
        Assert.True((await Run("#!fsharp\nlet polyglotName = 3")).Result.Success);
        using var csharp = new CellCompletion(_session);
        var completion = new PolyglotCompletion(_session, csharp);
        var cell = "var a = 1;\n#!fsharp\nlet b = polyglotN";
        var fs = await completion.CompleteAsync(cell, cell.Length);
        Assert.Equal(new[] { "polyglotName" }, fs.Matches);
        Assert.Equal(cell.Length - "polyglotN".Length, fs.CursorStart);
        var cs = await completion.CompleteAsync("Math.Ab\n#!fsharp\nlet x = 1", 7);
        Assert.Contains("Abs", cs.Matches);
        Assert.Equal(5, cs.CursorStart);
        var only = await completion.CompleteAsync("#!fsharp\npolyglotN", 18);
        Assert.Equal(new[] { "polyglotName" }, only.Matches);
        Assert.Equal(9, only.CursorStart);
        var meta = await completion.CompleteAsync("polyglotN", 9, "fsharp");
        Assert.Equal(new[] { "polyglotName" }, meta.Matches);
        var inspected = "var a = 1;\n#!fsharp\nlet c = polyglotName + 1";
        Assert.Contains("polyglotName: int", await completion.InspectAsync(inspected, inspected.Length - 6));
    }

    [Fact]
    public void KernelIsRegisteredUnderItsNamesAndStartsOnlyWhenACellNamesIt()
    {
        var info = FSharpKernel.KernelInfo;
        Assert.Equal(("fsharp", "F#"), (info.Name, info.LanguageName));
        Assert.Equal("10.0", info.LanguageVersion); // F# 10: the default language of FSharp.Compiler.Service 43.13
        using var fresh = new NotebookSession();
        Assert.Equal("fsharp", fresh.ResolveKernelName("F#"));
        Assert.Contains(fresh.KernelInfos, k => k.Name == "fsharp");
        Assert.DoesNotContain(fresh.Kernels, k => k.Info.Name == "fsharp"); // not started until a cell names it
    }
}

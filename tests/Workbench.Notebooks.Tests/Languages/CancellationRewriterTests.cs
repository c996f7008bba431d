using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Workbench.Notebooks.Languages.CSharp;

namespace Workbench.Notebooks.Tests.Languages;

public sealed class CancellationRewriterTests
{
    private const string Check = "if (__WorkbenchInterrupt.Stop) throw new global::System.OperationCanceledException(\"The cell was interrupted.\");";

    private static string? Rewrite(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script));
        var compilation = CSharpCompilation.CreateScriptCompilation("cell", tree,
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location), MetadataReference.CreateFromFile(typeof(Thread).Assembly.Location) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: new[] { "System", "System.Threading", "System.Threading.Tasks" }));
        return CancellationRewriter.Rewrite(tree, () => compilation.GetSemanticModel(tree));
    }

    [Fact]
    public void ChecksGoOnTheLinesOfTheLoopsTheyGuard()
    {
        const string code = "long x = 0;\nfor (;;) x++;\nwhile (x > 0)\n{\n    x--; // down\n}\ndo\n    x++;\nwhile (x < 3);\nint F(int n) =>\n    n < 1 ? 0 : F(n - 1);\nint G(int a) => a + 1;\nback: goto back;";
        var expected = $"long x = 0;\nfor (;;) {{{Check}x++;}}\nwhile (x > 0)\n{{{Check}\n    x--; // down\n}}\ndo\n    {{{Check}x++;}}\nwhile (x < 3);\n"
            + $"int F(int n) {{\n    {Check}return n < 1 ? 0 : F(n - 1);}}\nint G(int a) => a + 1;\nback: {{{Check}goto back;}}";
        Assert.Equal(expected, Rewrite(code));
    }

    [Fact]
    public void BlockingCallsOfTheFrameworkTakeTheCellsToken()
    {
        const string code = "Thread.Sleep(10);\nawait Task.Delay(TimeSpan.FromSeconds(1));\nnew SemaphoreSlim(1).Wait(5);\nTask.Delay(1).Wait();";
        const string api = "global::Workbench.Notebooks.Execution.CellInterrupt";
        Assert.Equal($"{api}.Sleep(10);\nawait {api}.Delay(TimeSpan.FromSeconds(1));\n{api}.Wait(new SemaphoreSlim(1),5);\n{api}.Wait({api}.Delay(1));", Rewrite(code));
    }

    [Fact]
    public void ThreadsTheCellStartsEndQuietlyWhenStopped()
    {
        Assert.Equal("var t = new Thread(global::Workbench.Notebooks.Execution.CellInterrupt.Guard(() => { }));\nt.Start();",
            Rewrite("var t = new Thread(() => { });\nt.Start();"));
    }

    [Fact]
    public void CodeWithoutLoopsOrBlockingCallsIsLeftAsWritten()
    {
        Assert.Null(Rewrite("var x = 1;\nConsole.WriteLine(x);\nvar f = (int a) => a + 1;\nTask.Delay(1, default);\nint G(int a) { return a + 1; }"));
    }

    [Theory]
    [InlineData("foreach (var (a, b) in new[] { (1, 2) })\n  // note\n  Console.WriteLine(a);\n")]
    [InlineData("void Run() => throw new Exception(nameof(Run)\n);\nstring Name() /* c */ => Name() // end\n;\n")]
    [InlineData("while (true)\n#if DEBUG\n  Console.Write(1);\n#else\n  Console.Write(2);\n#endif\n")]
    public void EveryLineKeepsItsNumber(string code)
    {
        var rewritten = Rewrite(code);
        Assert.NotNull(rewritten);
        Assert.Equal(code.Split('\n').Length, rewritten!.Split('\n').Length);
        Assert.Contains(Check, rewritten);
    }
}

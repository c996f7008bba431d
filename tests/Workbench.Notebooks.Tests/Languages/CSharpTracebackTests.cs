using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Tests.Execution;

namespace Workbench.Notebooks.Tests.Languages;

/// <summary>Runtime errors show the user's cells as IPython does (<c>Cell In[2], line 3</c> and that line), not Roslyn's submissions.</summary>
public sealed class CSharpTracebackTests : IDisposable
{
    private readonly NotebookSession _session = new();

    public void Dispose() => _session.Dispose();

    private async Task<CellError> Fail(string code)
    {
        var r = await _session.ExecuteAsync(code, new RecordingOutput());
        return r.Error ?? throw new InvalidOperationException("the cell did not fail");
    }

    [Fact]
    public async Task FramesNameTheCellLineAndMemberOfEachCall()
    {
        Assert.Null((await _session.ExecuteAsync("int Div(int d)\n{\n    return 1 / d;\n}", new RecordingOutput())).Error);
        var e = await Fail("var x = 1;\nDiv(x - 1)");
        Assert.Equal(new[]
        {
            "System.DivideByZeroException: Attempted to divide by zero.",
            "Cell In[1], line 3, in Div(Int32 d)",
            "----> 3     return 1 / d;",
            "Cell In[2], line 2",
            "----> 2 Div(x - 1)",
        }, e.Traceback);
        Assert.Equal(2, e.Line);
        Assert.DoesNotContain(e.Traceback, l => l.Contains("Submission#", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LocalFunctionsLambdasAndTypesReadAsWritten()
    {
        var e = await Fail("class Box { public int Open() => throw new InvalidOperationException(\"shut\"); }\nint Twice(Func<int> f) => 2 * f();\nTwice(() => new Box().Open())");
        Assert.Equal("System.InvalidOperationException: shut", e.Traceback[0]);
        var headers = e.Traceback.Where(l => l.StartsWith("Cell In[", StringComparison.Ordinal)).ToList();
        Assert.Equal(new[] { "Cell In[1], line 1, in Box.Open()", "Cell In[1], line 3, in <lambda>", "Cell In[1], line 2, in Twice(Func`1 f)", "Cell In[1], line 3" }, headers);
    }
}

using Workbench.Notebooks.Completion;
using Workbench.Notebooks.Execution;

namespace Workbench.Notebooks.Tests.Execution;

public sealed class CellCompletionTests : IDisposable
{
    private readonly NotebookSession _session = new();
    private readonly CellCompletion _completion;

    public CellCompletionTests() => _completion = new CellCompletion(_session);

    public void Dispose()
    {
        _completion.Dispose();
        _session.Dispose();
    }

    [Fact]
    public async Task MembersAfterADotComplete()
    {
        var r = await _completion.CompleteAsync("var y = Math.", 13);
        Assert.Contains("Abs", r.Matches);
        Assert.Contains("Sqrt", r.Matches);
        Assert.Equal(13, r.CursorStart);
        Assert.Equal(13, r.CursorEnd);
    }

    [Fact]
    public async Task PartialNameSetsTheReplacedSpan()
    {
        var r = await _completion.CompleteAsync("Math.Sq", 7);
        Assert.Equal(new[] { "Sqrt" }, r.Matches);
        Assert.Equal(5, r.CursorStart);
        Assert.Equal(7, r.CursorEnd);
    }

    [Fact]
    public async Task EarlierCellsAreKnown()
    {
        await _session.ExecuteAsync("class Point { public int Abscissa; public int Ordinate; }\nvar origin = new Point();\nusing System.Numerics;", new RecordingOutput());
        var r = await _completion.CompleteAsync("origin.", 7);
        Assert.Contains("Abscissa", r.Matches);
        Assert.Contains("Ordinate", r.Matches);
        var v = await _completion.CompleteAsync("orig", 4);
        Assert.Contains("origin", v.Matches);
        var c = await _completion.CompleteAsync("Complex.", 8);
        Assert.Contains("ImaginaryOne", c.Matches);
        var g = await _completion.CompleteAsync("displ", 5);
        Assert.Contains("display", g.Matches);
    }

    [Fact]
    public async Task InspectShowsSignatureAndSummary()
    {
        var text = await _completion.InspectAsync("Math.Sqrt(2)", 7);
        Assert.NotNull(text);
        Assert.Contains("Math.Sqrt(double)", text);
        Assert.Contains("square root", text);
        Assert.Null(await _completion.InspectAsync("   ", 1));
    }

    [Theory]
    [InlineData("var x = 1;", true)]
    [InlineData("x + 1", true)]
    [InlineData("for (int i = 0; i < 3; i++) {", false)]
    [InlineData("var s = \"abc", false)]
    [InlineData("#r \"nuget: X, 1.0\"\nif (true) {", false)]
    [InlineData("", true)]
    public void IsCompleteFollowsRoslyn(string code, bool complete) => Assert.Equal(complete, CellCompletion.IsComplete(code));
}

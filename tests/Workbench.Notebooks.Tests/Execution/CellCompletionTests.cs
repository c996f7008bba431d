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

    [Fact]
    public async Task DetailLevelOneShowsTheSourceOfWhatEarlierCellsDeclared()
    {
        await _session.ExecuteAsync("var scale = 3;", new RecordingOutput());
        await _session.ExecuteAsync("using System.Text;\n/// <summary>Triples.</summary>\nint Triple(int x)\n{\n    return scale * x;\n}", new RecordingOutput());
        await _session.ExecuteAsync("class Box\n{\n    public int Size { get; set; }\n    public int Twice() => 2 * Size;\n}", new RecordingOutput());

        // Detail 1 is detail 0 (as it was: signature, summary, a variable's value) followed by the declaration's source.
        async Task AssertSource(string code, int cursor, string source)
        {
            var brief = await _completion.InspectAsync(code, cursor);
            Assert.NotNull(brief);
            Assert.DoesNotContain("Source:", brief);
            Assert.Equal(brief + "\nSource: " + source, await _completion.InspectAsync(code, cursor, detailLevel: 1));
        }
        await AssertSource("Triple(2)", 1, "Cell In[2], line 3\nint Triple(int x)\n{\n    return scale * x;\n}");
        Assert.Contains("Triples.", await _completion.InspectAsync("Triple(2)", 1));
        await AssertSource("scale", 2, "Cell In[1], line 1\nvar scale = 3;");
        Assert.Contains("Value: 3", await _completion.InspectAsync("scale", 2));
        await AssertSource("new Box()", 6, "Cell In[3], line 1\nclass Box\n{\n    public int Size { get; set; }\n    public int Twice() => 2 * Size;\n}");
        // A member of a cell's class: the member alone, dedented.
        await AssertSource("new Box().Twice()", 11, "Cell In[3], line 4\npublic int Twice() => 2 * Size;");

        // What the framework declares, and what the cell being edited declares, have no cell source.
        Assert.DoesNotContain("Source:", await _completion.InspectAsync("Math.Sqrt(2)", 7, detailLevel: 1));
        Assert.DoesNotContain("Source:", await _completion.InspectAsync("int Fresh() => 1;\nFresh()", 20, detailLevel: 1));
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

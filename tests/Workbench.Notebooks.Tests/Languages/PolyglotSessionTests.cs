using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Magics;
using Workbench.Notebooks.Tests.Execution;

namespace Workbench.Notebooks.Tests.Languages;

public sealed class PolyglotSessionTests : IDisposable
{
    private readonly NotebookSession _session = new();

    public void Dispose() => _session.Dispose();

    private async Task<(CellExecutionResult Result, RecordingOutput Output)> Run(string code, string? kernel = null)
    {
        var output = new RecordingOutput();
        var result = await _session.ExecuteAsync(code, output, default, kernel);
        return (result, output);
    }

    [Fact]
    public void CellSplitsAtLanguageMagicsAndKeepsTheCellsLineNumbers()
    {
        var parts = CellPart.Split("var a = 1;\n#!markdown\n# Title\n#!csharp\n#!set --name b --value 2\na + 1", "csharp", n => n is "csharp" or "markdown" ? n : null);
        Assert.Equal(new[] { "csharp", "markdown", "csharp", "csharp" }, parts.Select(p => p.Kernel));
        Assert.Equal("var a = 1;", parts[0].Code);
        Assert.Equal("\n\n# Title", parts[1].Code);
        Assert.Equal("set", parts[2].Magic!.Name);
        Assert.Equal(5, parts[2].Magic!.Line);
        Assert.Equal("\n\n\n\n\na + 1", parts[3].Code); // line 6 of the cell is line 6 of the submission
    }

    [Fact]
    public void MagicWordsSplitLikeAShellAndNameTheirOptions()
    {
        var line = MagicLine.Parse("#!set --name x --value \"a \\\"b\\\" c\" --byref", 3)!;
        Assert.Equal("set", line.Name);
        Assert.Equal("a \"b\" c", line.Option("--value"));
        Assert.True(line.Flag("--byref"));
        var e = Assert.Throws<MagicException>(() => MagicLine.Parse("#!set --name", 2)!.RequiredOption("--name"));
        Assert.Contains("--name needs a value", e.Message);
        Assert.Throws<MagicException>(() => MagicLine.Parse("#!set --value \"open", 1));
    }

    [Fact]
    public async Task MarkdownCellRendersAsHtml()
    {
        var (r, output) = await Run("#!markdown\n**bold** text");
        Assert.True(r.Success);
        var shown = Assert.Single(output.Displays);
        Assert.Contains("<strong>bold</strong>", shown.Bundle.GetText("text/html"));
    }

    [Fact]
    public async Task CellMetadataChoosesTheLanguage()
    {
        var (r, output) = await Run("<b>hi</b>", kernel: "html");
        Assert.True(r.Success);
        Assert.Equal("<b>hi</b>", Assert.Single(output.Displays).Bundle.GetText("text/html"));
        var (bad, _) = await Run("1", kernel: "cobol");
        Assert.Contains("unknown language 'cobol'", bad.Error!.Value);
    }

    [Fact]
    public async Task ValueCellIsSharedWithCSharpAsTheSameText()
    {
        Assert.True((await Run("#!value --name csv\na,b\n1,2")).Result.Success);
        var (r, _) = await Run("#!set --name text --value @value:csv\ntext.Split('\\n').Length");
        Assert.Null(r.Error);
        Assert.Equal("2", r.Result!.GetText("text/plain"));
    }

    [Fact]
    public async Task SetDeclaresAVariableOfTheValuesTypeAndShareKeepsTheObject()
    {
        await Run("var list = new List<int> { 1, 2, 3 };");
        var (r, _) = await Run("#!share --from csharp list --as same\nReferenceEquals(list, same) && same.Count == 3");
        Assert.Null(r.Error);
        Assert.Equal("True", r.Result!.GetText("text/plain"));
        var (lit, _) = await Run("#!set --name greeting --value \"hello there\"\ngreeting.Length");
        Assert.Equal("11", lit.Result!.GetText("text/plain"));
    }

    [Fact]
    public async Task MissingValuesAndUnknownMagicsAreErrorsThatNameThem()
    {
        var (missing, _) = await Run("#!set --name x --value @csharp:nowhere");
        Assert.Equal("MagicError", missing.Error!.Name);
        Assert.Contains("no variable 'nowhere'", missing.Error.Value);
        var (kernel, _) = await Run("#!set --name x --value @cobol:y");
        Assert.Contains("no kernel named 'cobol'", kernel.Error!.Value);
        var (unknown, _) = await Run("var a = 1;\n#!frobnicate");
        Assert.Contains("'#!frobnicate' on line 2", unknown.Error!.Value);
        Assert.Equal(2, unknown.Error.Line);
    }

    [Fact]
    public async Task CompileErrorsAfterAMagicReportTheCellsLine()
    {
        var (r, _) = await Run("#!set --name n --value 3\nvar ok = 1;\nint bad = \"x\";");
        Assert.Equal("CompilationError", r.Error!.Name);
        Assert.Equal(3, r.Error.Line);
    }

    [Fact]
    public async Task TrailingNullIsShownAsNullAndStatementsHaveNoResult()
    {
        Assert.Equal("<null>", (await Run("null as string")).Result.Result!.GetText("text/plain"));
        Assert.Null((await Run("string s = null;")).Result.Result);
        Assert.Null((await Run("Console.Write(\"\")")).Result.Result);
        Assert.Equal("[ 1, 2, 3 ]", (await Run("new List<int> { 1, 2, 3 }")).Result.Result!.GetText("text/plain"));
    }

    [Fact]
    public async Task ValueCellShowsTheStoredText()
    {
        var (r, output) = await Run("#!value --name note\nsome text");
        Assert.True(r.Success);
        Assert.Equal("some text", Assert.Single(output.Displays).Bundle.GetText("text/plain"));
    }
}

using System.Text.RegularExpressions;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Tests.Execution;

namespace Workbench.Notebooks.Tests.Languages;

/// <summary>#!time, #!who, #!whos, #!lsmagic, #!about with .NET Interactive's syntax and text.</summary>
public sealed class InfoMagicTests : IDisposable
{
    private readonly NotebookSession _session = new();

    public void Dispose() => _session.Dispose();

    private async Task<RecordingOutput> Run(string code)
    {
        var output = new RecordingOutput();
        var result = await _session.ExecuteAsync(code, output);
        Assert.True(result.Error is null, result.Error?.Value);
        return output;
    }

    [Fact]
    public async Task TimeShowsTheWallTimeAfterTheCellsOutputs()
    {
        var output = await Run("#!time\nConsole.WriteLine(\"done\");\ndisplay(1);");
        Assert.Equal("done\n", output.Stdout);
        Assert.Equal(2, output.Displays.Count);
        Assert.Equal("1", output.Displays[0].Bundle.GetText("text/plain"));
        var time = output.Displays[1].Bundle;
        Assert.Equal(new[] { "text/plain" }, time.Data.Keys);
        Assert.Matches(@"^Wall time: \d+(\.\d+)?ms$", time.GetText("text/plain"));
    }

    [Fact]
    public async Task TimeOnALaterLineTimesWhatFollowsIt()
    {
        var output = await Run("var a = 1;\n#!time\nvar b = a + 1;");
        Assert.Matches(@"^Wall time: \d+(\.\d+)?ms$", Assert.Single(output.Displays).Bundle.GetText("text/plain"));
    }

    [Fact]
    public async Task WhoListsTheNamesAsDotNetInteractiveDoes()
    {
        await Run("var x = 1; string s = \"hi\"; var list = new List<int> { 1, 2, 3 };");
        var shown = Assert.Single((await Run("#!who")).Displays).Bundle;
        Assert.Equal("[ x\t , s\t , list\t  ]", shown.GetText("text/plain"));
        Assert.Equal("<div><div class=\"dni-plaintext\"><pre>[ x\t , s\t , list\t  ]</pre></div></div>", shown.GetText("text/html"));
    }

    [Fact]
    public async Task WhosTabulatesNamesFullTypeNamesAndValues()
    {
        await Run("var x = 1; string s = \"hi\"; var list = new List<int> { 1, 2, 3 };");
        var shown = Assert.Single((await Run("#!whos")).Displays).Bundle;
        Assert.Equal(
            "Variable  Type                                           Value\n" +
            "x         System.Int32                                   1\n" +
            "s         System.String                                  hi\n" +
            "list      System.Collections.Generic.List<System.Int32>  [ 1, 2, 3 ]",
            shown.GetText("text/plain"));
        Assert.Contains("<tr><td>list</td><td>System.Collections.Generic.List&lt;System.Int32&gt;</td><td><div class=\"dni-plaintext\"><pre>[ 1, 2, 3 ]</pre></div></td></tr>",
            shown.GetText("text/html"));
    }

    [Fact]
    public async Task LsmagicListsEveryMagicAndKernelWithHelp()
    {
        var text = Assert.Single((await Run("#!lsmagic")).Displays).Bundle.GetText("text/plain")!;
        foreach (var magic in _session.Magics)
            Assert.Matches(new Regex($@"^  #!{Regex.Escape(magic.Name)}\b.*  {Regex.Escape(magic.Summary)}$", RegexOptions.Multiline), text);
        foreach (var kernel in _session.KernelInfos)
            Assert.Matches(new Regex($@"^  #!{Regex.Escape(kernel.Name)}\b.*  {Regex.Escape(kernel.Description)}$", RegexOptions.Multiline), text);
        Assert.Matches(@"(?m)^  #!csharp, #!c#, #!C# +Run the code that follows as C#", text);
        Assert.Contains("#i", text);
        Assert.Matches(@"(?m)^  #!time +Time the execution of the following code in the submission\.$", text);
    }

    [Fact]
    public async Task AboutNamesTheEngineAndItsLibraries()
    {
        var text = Assert.Single((await Run("#!about")).Displays).Bundle.GetText("text/plain")!;
        Assert.StartsWith("Workbench notebook engine\nVersion: ", text);
        Assert.Contains($".NET: {Environment.Version}", text);
        Assert.Contains("Microsoft.DotNet.Interactive.Formatting: 1.0.0-beta.26120.1", text);
    }

    [Theory]
    [InlineData("time", "Usage: #!time")]
    [InlineData("who", "Usage: #!who")]
    [InlineData("whos", "Usage: #!whos")]
    [InlineData("lsmagic", "Usage: #!lsmagic")]
    [InlineData("about", "Usage: #!about")]
    public async Task HelpPrintsUsage(string magic, string usage)
    {
        var text = Assert.Single((await Run($"#!{magic} --help")).Displays).Bundle.GetText("text/plain")!;
        Assert.StartsWith($"#!{magic}: ", text);
        Assert.Contains(usage, text);
    }

    [Fact]
    public async Task UnknownOptionsAreErrorsNamingTheMagic()
    {
        var r = await _session.ExecuteAsync("#!who --all", new RecordingOutput());
        Assert.Equal("MagicError", r.Error!.Name);
        Assert.Contains("--all", r.Error.Value);
    }
}

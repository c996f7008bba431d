using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Tests.Execution;

namespace Workbench.Notebooks.Tests.Languages;

/// <summary>Cells that ask for input: Console.ReadLine, Kernel.GetInputAsync/GetPasswordAsync, #!set @input:/@password:.</summary>
public sealed class InputRequestTests : IDisposable
{
    private readonly NotebookSession _session = new();

    public void Dispose() => _session.Dispose();

    private async Task<(CellExecutionResult Result, RecordingOutput Output)> Run(string code, Dictionary<string, string>? answers)
    {
        var output = new RecordingOutput { Answers = answers };
        return (await _session.ExecuteAsync(code, output), output);
    }

    [Fact]
    public async Task ConsoleReadLineGetsTheFrontEndsAnswer()
    {
        var (r, output) = await Run("Console.Write(\"Name? \");\nvar name = Console.ReadLine();\n$\"hello {name}\"", new() { [""] = "Ada" });
        Assert.Equal("hello Ada", r.Result!.GetText("text/plain"));
        Assert.Equal("Name? ", output.Stdout);
        Assert.Equal(new[] { ("", false) }, output.InputRequests);
    }

    [Fact]
    public async Task GetInputAsyncAndGetPasswordAsyncAskWithTheirPromptAndPasswordFlag()
    {
        var answers = new Dictionary<string, string> { ["Your name"] = "Ada", ["Token"] = "s3cret" };
        var (r, output) = await Run("using Microsoft.DotNet.Interactive;\nvar name = await Kernel.GetInputAsync(\"Your name\");\n" +
                                    "PasswordString token = await Kernel.GetPasswordAsync(\"Token\");\n" +
                                    "$\"{name} {token} {token.GetClearTextPassword()}\"", answers);
        Assert.True(r.Error is null, r.Error?.Value);
        Assert.Equal("Ada ************ s3cret", r.Result!.GetText("text/plain"));
        Assert.Equal(new[] { ("Your name", false), ("Token", true) }, output.InputRequests);
        // Bare names, as .NET Interactive's `using static Microsoft.DotNet.Interactive.Kernel` gives them.
        var (bare, _) = await Run("await GetInputAsync(\"Your name\")", answers);
        Assert.Equal("Ada", bare.Result!.GetText("text/plain"));
    }

    [Fact]
    public async Task SetMagicTakesInputAndPasswordTokens()
    {
        var answers = new Dictionary<string, string> { ["Your name"] = "Ada", ["Key"] = "k3y" };
        var (r, output) = await Run("#!set --name who --value @input:\"Your name\"\n#!set --name key --value @password:Key\n" +
                                    "who + \" \" + key.GetClearTextPassword() + \" \" + key", answers);
        Assert.True(r.Error is null, r.Error?.Value);
        Assert.Equal("Ada k3y ************", r.Result!.GetText("text/plain"));
        Assert.Equal(new[] { ("Your name", false), ("Key", true) }, output.InputRequests);
    }

    [Fact]
    public async Task AMissingAnswerFailsTheCellNamingThePrompt()
    {
        var (r, _) = await Run("#!set --name who --value @input:Age", new());
        Assert.Equal("MagicError", r.Error!.Name);
        Assert.Equal("#!set: no answer in the test: the cell asked for input 'Age'", r.Error.Value);
        Assert.Equal(1, r.Error.Line);
    }
}

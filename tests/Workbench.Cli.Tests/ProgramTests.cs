namespace Workbench.Cli.Tests;

/// <summary>What every verb shares: the command tree, usage errors, help.</summary>
public class ProgramTests
{
    [Theory]
    [InlineData("notebook", "run", "x.ipynb", "--plotly-js", "bogus")]
    [InlineData("kernel", "install", "--no-such-option")]
    [InlineData("train", "--task", "nope", "--model", "gru", "--out", "x")]
    [InlineData("no-such-verb")]
    public void ParseErrorsAreOneLineWithExitCode2(params string[] args)
    {
        var result = WorkbenchProcess.Run(args);
        Assert.Equal(Program.UsageError, result.ExitCode);
        string error = result.Stderr.TrimEnd();
        Assert.Matches("^workbench( [a-z]+)*: ", error); // the verb is named when there is one
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void RootHelpListsEveryVerb()
    {
        var result = WorkbenchProcess.Run(["--help"]);
        Assert.Equal(0, result.ExitCode);
        foreach (var verb in new[] { "demo", "train", "sample", "sweep", "runs", "infer", "export", "embeddings", "notebook", "kernel", "bench" })
            Assert.Contains($"  {verb}", result.Stdout);
    }
}

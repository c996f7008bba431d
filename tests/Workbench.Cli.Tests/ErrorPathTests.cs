namespace Workbench.Cli.Tests;

/// <summary>
/// Every verb reports bad arguments and bad input files the same way: one line "workbench VERB: message" naming what
/// was wrong, exit code 2, no stack trace. Verb by verb.
/// </summary>
public sealed class ErrorPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wb-err-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string OneLine(WorkbenchProcess.Result result, string verb)
    {
        Assert.Equal(2, result.ExitCode);
        string line = result.Stderr.Trim();
        Assert.Single(line.Split('\n'));
        Assert.StartsWith($"workbench {verb}".TrimEnd(), line);
        Assert.DoesNotContain("   at ", line);
        return line;
    }

    [Theory]
    [InlineData("trian", "train")]
    [InlineData("sampel", "sample")]
    [InlineData("notebok", "notebook")]
    [InlineData("embedings", "embeddings")]
    public void MistypedVerbSuggestsTheNearest(string typed, string meant)
    {
        string line = OneLine(WorkbenchProcess.Run([typed]), "");
        Assert.Contains($"'{typed}'", line);
        Assert.Contains($"did you mean '{meant}'", line);
    }

    [Theory]
    [InlineData("--steps", "abc", "a whole number")]
    [InlineData("--hidden", "1.5", "a whole number")]
    [InlineData("--lr", "fast", "a number")]
    public void AValueThatDoesNotParseNamesTheOptionAndTheValue(string option, string value, string kind)
    {
        string line = OneLine(WorkbenchProcess.Run(["train", "--task", "adding", option, value, "--out", Path.Combine(_root, "x")]), "train");
        Assert.Contains($"{option}: '{value}' is not {kind}", line);
    }

    [Fact]
    public void ABadScheduleNamesTheOption()
    {
        string line = OneLine(WorkbenchProcess.Run(["train", "--task", "adding", "--schedule", "cosine:abc", "--out", Path.Combine(_root, "x")]), "train");
        Assert.Contains("--schedule", line);
        Assert.Contains("abc", line);
    }

    [Fact]
    public void AFolderGivenForAFileSaysSo()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_root, "a-folder")).FullName;
        string infer = OneLine(WorkbenchProcess.Run(["infer", "--model", folder, "--input", folder, "--output", Path.Combine(_root, "o.safetensors")]), "infer");
        Assert.Contains($"'{folder}' is a folder", infer);
        string train = OneLine(WorkbenchProcess.Run(["train", "--task", "charlm", "--corpus", folder, "--steps", "1", "--out", Path.Combine(_root, "run")]), "train");
        Assert.Contains($"'{folder}' is a folder", train);
        string eval = OneLine(WorkbenchProcess.Run(["embeddings", "eval", "--vectors", folder, "--similarity", folder]), "embeddings eval");
        Assert.Contains($"'{folder}' is a folder", eval);
    }

    [Theory]
    [InlineData("infer", "--model", "/no/such/model.safetensors", "--input", "/no/such/in.safetensors", "--output", "/tmp/never.safetensors")]
    [InlineData("embeddings", "eval", "--vectors", "/no/such/vectors.txt", "--similarity", "/no/such/pairs.txt")]
    [InlineData("sample", "--run", "/no/such/run")]
    [InlineData("train", "--config", "/no/such/config.json", "--out", "/tmp/never-run")]
    [InlineData("runs", "/no/such/folder")]
    [InlineData("export", "--to", "onnx", "/no/such/run", "-o", "/tmp/never.onnx")]
    [InlineData("notebook", "export", "/no/such/notebook.ipynb")]
    public void MissingFilesExit2NamingThem(params string[] args)
    {
        var result = WorkbenchProcess.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains("/no/such/", result.Stderr);
    }

    [Fact]
    public void ANotebookThatIsNotJsonGivesOneLine()
    {
        string path = Path.Combine(_root, "notes.ipynb");
        File.WriteAllText(path, "these are not JSON notes");
        var result = WorkbenchProcess.Run(["notebook", "export", path]);
        Assert.Equal(1, result.ExitCode); // the notebook verbs' code for a file that exists but cannot be parsed
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains("notes.ipynb", result.Stderr);
    }
}

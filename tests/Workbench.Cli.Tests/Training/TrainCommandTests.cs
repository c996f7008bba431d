using System.Globalization;
using Workbench.Training;

namespace Workbench.Cli.Tests.Training;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"wb-cli-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static readonly string[] SmallAdding = ["train", "--task", "adding", "--model", "gru", "--hidden", "8", "--seq-len", "10", "--steps", "15", "--batch-size", "8"];

    [Theory]
    [InlineData("train")]
    [InlineData("sample")]
    [InlineData("sweep")]
    [InlineData("runs")]
    [InlineData("demo")]
    public void EveryVerbHasHelp(string verb)
    {
        var result = WorkbenchProcess.Run([verb, "--help"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout);
    }

    [Theory]
    [InlineData("train", "--task", "juggling", "--out", "x")]          // unknown task
    [InlineData("train", "--task", "adding")]                          // --out missing
    [InlineData("train", "--task", "adding", "--steps", "many", "--out", "x")]
    [InlineData("train", "--task", "adding", "--hidden", "0", "--out", "x")]
    [InlineData("train", "--task", "charlm", "--bidirectional", "--out", "x")]
    [InlineData("train", "--task", "charlm", "--corpus", "/no/such/file.txt", "--out", "x")]
    [InlineData("sweep", "--grid", "/no/such/grid.json", "--out", "x")]
    [InlineData("sample", "--run", "/no/such/run")]
    [InlineData("runs", "/no/such/folder")]
    public void BadArgumentsGiveOneLineAndExitCode2(params string[] args)
    {
        var result = WorkbenchProcess.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void TrainWritesARunFolderAndRunsTabulatesIt()
    {
        string run = Path.Combine(_root, "adding");
        var result = WorkbenchProcess.Run([.. SmallAdding, "--out", run]);
        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Contains("step 15/15", result.Stdout); // plain progress lines when output is not a terminal
        foreach (string file in new[] { "config.json", "run.json", "steps.csv", "epochs.csv", "checkpoint.safetensors" })
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        var table = WorkbenchProcess.Run(["runs", _root]);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("adding", table.Stdout);
        Assert.Contains("completed", table.Stdout);
    }

    [Fact]
    public void LossesAreBitIdenticalAcrossRunsAndThreadCounts()
    {
        string[] Losses(string name, string processors)
        {
            string run = Path.Combine(_root, name);
            var result = WorkbenchProcess.Run([.. SmallAdding, "--out", run], new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = processors });
            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.Equal(int.Parse(processors, CultureInfo.InvariantCulture), RunFolder.ReadSummary(run).ProcessorCount);
            return File.ReadAllLines(Path.Combine(run, "steps.csv")).Skip(1).Select(line => line.Split(',')[2]).ToArray();
        }
        var one = Losses("p1", "1");
        var two = Losses("p2", "2");
        var again = Losses("p2b", "2");
        Assert.Equal(15, one.Length);
        Assert.Equal(one, two);
        Assert.Equal(two, again);
    }

    [Fact]
    public void SampleGeneratesFromACharLmRun()
    {
        string run = Path.Combine(_root, "lm");
        var trained = WorkbenchProcess.Run(["train", "--task", "charlm", "--hidden", "16", "--embedding-dim", "8", "--seq-len", "16", "--batch-size", "8", "--steps", "10", "--out", run]);
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var sample = WorkbenchProcess.Run(["sample", "--run", run, "--prime", "MARA:", "--temperature", "0.8", "--top-k", "20", "-n", "100"]);
        Assert.True(sample.ExitCode == 0, sample.Stderr);
        Assert.StartsWith("MARA:", sample.Stdout);
        Assert.Equal(105, sample.Stdout.TrimEnd('\n').Length);
        var notLm = WorkbenchProcess.Run([.. SmallAdding, "--out", Path.Combine(_root, "add")]);
        Assert.Equal(0, notLm.ExitCode);
        Assert.Equal(2, WorkbenchProcess.Run(["sample", "--run", Path.Combine(_root, "add")]).ExitCode);
    }

    [Fact]
    public void ShardedSweepsMergeByLoadingRunFolders()
    {
        string grid = Path.Combine(_root, "grid.json");
        Directory.CreateDirectory(_root);
        File.WriteAllText(grid, """{"base": {"task": "adding", "hidden": 8, "seq_len": 10, "steps": 5, "batch_size": 8}, "grid": {"model": ["rnn", "gru"], "seed": [1, 2]}}""");
        string output = Path.Combine(_root, "sweep");
        var first = WorkbenchProcess.Run(["sweep", "--grid", grid, "--shard", "1/2", "--out", output, "--parallel", "2"], timeoutSeconds: 180);
        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);
        var second = WorkbenchProcess.Run(["sweep", "--grid", grid, "--shard", "2/2", "--out", output], timeoutSeconds: 180);
        Assert.True(second.ExitCode == 0, second.Stderr + second.Stdout);
        var runs = RunFolder.LoadRuns(output);
        Assert.Equal(4, runs.Rows.Count);
        Assert.Equal(["000-adding-rnn-h8-l1-t10-s1", "001-adding-rnn-h8-l1-t10-s2", "002-adding-gru-h8-l1-t10-s1", "003-adding-gru-h8-l1-t10-s2"],
            runs["run"].Cast<string>());
        Assert.All(runs["status"].Cast<string>(), s => Assert.Equal("completed", s));
    }
}

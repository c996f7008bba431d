using Workbench.Cli;

namespace Workbench.Cli.Tests.Embeddings;

/// <summary>Runs `workbench embeddings …` in-process through Program.Main with Console captured.</summary>
[Collection("Console")]
public class EmbeddingsCommandTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Workbench.sln not found");
    }

    private static string Fixture(string name) => Path.Combine(Root, "tests", "fixtures", "gensim", name);

    private static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "workbench-cli-embeddings", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try { return (Program.Main(args), stdout.ToString(), stderr.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }

    [Fact]
    public void TrainThenQueryFindsQueen()
    {
        string dir = TempDirectory();
        string corpus = Path.Combine(dir, "royal.txt"), vectors = Path.Combine(dir, "vectors.txt");
        var generate = Run("embeddings", "generate-corpus", "--out", corpus, "--sentences", "30000");
        Assert.Equal(0, generate.Exit);
        var train = Run("embeddings", "train", "--corpus", corpus, "--out", vectors, "--sg", "--dim", "20", "--window", "4",
            "--epochs", "3", "--threads", "1", "--seed", "7");
        Assert.True(train.Exit == 0, train.Err);
        Assert.Contains("words/s", train.Out);
        Assert.Contains("progress 100.0%", train.Out);
        Assert.StartsWith("133 20", File.ReadLines(vectors).First());

        var query = Run("embeddings", "query", "--vectors", vectors, "king - man + woman", "--top", "3");
        Assert.Equal(0, query.Exit);
        string[] lines = query.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("king + woman - man", lines[0]);
        Assert.StartsWith("queen\t", lines[1]);
        Assert.Equal(4, lines.Length);

        var single = Run("embeddings", "query", "--vectors", vectors, "apple", "--top", "2");
        Assert.Equal(0, single.Exit);
        Assert.Equal(3, single.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void EvalPrintsSectionsAndGensimsTotal()
    {
        var r = Run("embeddings", "eval", "--vectors", Fixture("small.w2v.bin"), "--analogies", Fixture("analogies.txt"),
            "--similarity", Fixture("pairs.tsv"));
        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains("capital-common-countries", r.Out);
        // gensim 4.2 on the same files: 7 of 19 (expected.json, "default").
        Assert.Contains("Total accuracy: 36.8% (7/19)", r.Out);
        Assert.Contains("Pearson 0.1374", r.Out);
        var restricted = Run("embeddings", "eval", "--vectors", Fixture("small.w2v.txt"), "--analogies", Fixture("analogies.txt"), "--restrict", "20");
        Assert.Contains("Total accuracy: 50.0% (6/12)", restricted.Out);
    }

    [Fact]
    public void BadInputIsOneClearLine()
    {
        // A missing input file is a usage error, exit 2, as in every verb.
        var missing = Run("embeddings", "query", "--vectors", "/nonexistent/v.txt", "king");
        Assert.Equal(2, missing.Exit);
        Assert.Contains("/nonexistent/v.txt", missing.Err);

        var unknown = Run("embeddings", "query", "--vectors", Fixture("small.w2v.txt"), "king - dragon");
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("'dragon'", unknown.Err);

        var both = Run("embeddings", "train", "--corpus", Fixture("analogies.txt"), "--out", Path.Combine(TempDirectory(), "v.txt"), "--sg", "--cbow");
        Assert.Equal(1, both.Exit);
        Assert.Contains("--sg or --cbow", both.Err);

        var small = Run("embeddings", "train", "--corpus", Fixture("pairs.tsv"), "--out", Path.Combine(TempDirectory(), "v.txt"), "--min-count", "50");
        Assert.Equal(1, small.Exit);
        Assert.Contains("min-count = 50", small.Err);

        var parse = Run("embeddings", "train", "--out", "x.txt");
        Assert.Equal(Program.UsageError, parse.Exit);

        string bad = Path.Combine(TempDirectory(), "bad.txt");
        File.WriteAllText(bad, "2 3\na 1 2 3\nb 1 2\n");
        var ragged = Run("embeddings", "eval", "--vectors", bad, "--analogies", Fixture("analogies.txt"));
        Assert.Equal(1, ragged.Exit);
        Assert.Contains("bad.txt:3", ragged.Err);
    }
}

using Workbench.Cli.Commands;
using Workbench.Datasets;

namespace Workbench.Cli.Tests.Data;

/// <summary>`workbench data`: the listing, the path of a data set, and its errors as one line with the right exit code.</summary>
public sealed class DataCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-data-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ListShowsEveryDataSetAndWhereItIs()
    {
        string mirror = Path.Combine(_folder, "mirror");
        Directory.CreateDirectory(mirror);
        // A wrong local copy is reported, not trusted.
        File.WriteAllText(Path.Combine(mirror, PublicDatasets.WordSim353.FileName), "not the file");
        var output = new StringWriter();
        Assert.Equal(0, DataCommand.List(new DatasetCache(Path.Combine(_folder, "cache"), [mirror]), output));
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"cache: {Path.Combine(_folder, "cache")}", lines[0]);
        Assert.Equal(PublicDatasets.All.Count + 1, lines.Length);
        foreach (var d in PublicDatasets.All) Assert.Contains(lines, l => l.StartsWith(d.Name + " ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("wordsim353 ", StringComparison.Ordinal) && l.Contains("wrong SHA-256"));
        Assert.Contains(lines, l => l.StartsWith("tiny-shakespeare ", StringComparison.Ordinal) && l.Contains("missing"));
    }

    [Fact]
    public void PathPrintsTheCachePathWithoutTheNetwork()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var cache = new DatasetCache(_folder);
        Assert.Equal(0, DataCommand.Run(cache, "Tiny-Shakespeare", fetch: false, stdout, stderr));
        Assert.Equal(Path.Combine(_folder, "tinyshakespeare.txt"), stdout.ToString().Trim());
        Assert.Empty(stderr.ToString());
    }

    [Fact]
    public void AnUnknownNameIsAUsageErrorListingTheNames()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Assert.Equal(Program.UsageError, DataCommand.Run(new DatasetCache(_folder), "imdb", fetch: true, stdout, stderr));
        string line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("workbench data: No public data set is called 'imdb'; the names are: tiny-shakespeare,", line);
        Assert.Empty(stdout.ToString());
    }

    [Fact]
    public void FetchOfACutWithoutACopyFailsWithOneLine()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Assert.Equal(DataCommand.Failure, DataCommand.Run(new DatasetCache(_folder), "text8-first12549837chars", fetch: true, stdout, stderr));
        string line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("has no download address", line);
        Assert.Contains(DatasetCache.MirrorVariable, line);
    }
}

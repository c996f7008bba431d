using System.Text.Json;
using System.Xml.Linq;

namespace Workbench.Notebooks.Tests.NotebookContent;

/// <summary>
/// The committed tutorial notebooks under notebooks/ are shown by GitHub as they are stored, so they must be stored
/// executed: every code cell ran, no output is an error, charts carry a static PNG, and the metadata names the
/// Workbench kernel. These tests read the files only; scripts/test.sh re-executes the notebooks separately.
/// </summary>
public class TutorialNotebookTests
{
    private const string KernelName = "workbench-csharp";

    /// <summary>Every .ipynb under notebooks/, as a path relative to the repository.</summary>
    public static IEnumerable<object[]> Notebooks() =>
        Directory.GetFiles(NotebooksFolder(), "*.ipynb", SearchOption.AllDirectories)
            .Where(p => !p.Contains(".ipynb_checkpoints", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => new object[] { Path.GetRelativePath(RepositoryRoot(), p) });

    [Fact]
    public void TheFirstTutorialsExist()
    {
        var names = Notebooks().Select(n => Path.GetFileName((string)n[0])).ToList();
        Assert.Contains("01-rnn.ipynb", names);
        Assert.Contains("02-lstm.ipynb", names);
        Assert.Contains("03-gru.ipynb", names);
        Assert.True(File.Exists(Path.Combine(NotebooksFolder(), "README.md")), "notebooks/README.md is missing");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NamesTheWorkbenchKernel(string notebook)
    {
        using var doc = Load(notebook);
        var metadata = doc.RootElement.GetProperty("metadata");
        Assert.True(metadata.TryGetProperty("kernelspec", out var kernelspec), $"{notebook}: no metadata.kernelspec");
        Assert.Equal(KernelName, kernelspec.GetProperty("name").GetString());
        Assert.Equal("csharp", kernelspec.GetProperty("language").GetString());
        Assert.Equal("C# (Workbench)", kernelspec.GetProperty("display_name").GetString());
        Assert.Equal("csharp", metadata.GetProperty("language_info").GetProperty("name").GetString());
        Assert.Equal(4, doc.RootElement.GetProperty("nbformat").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void EveryCodeCellRanWithoutError(string notebook)
    {
        using var doc = Load(notebook);
        int outputs = 0, index = 0, lastCount = 0;
        foreach (var cell in Cells(doc))
        {
            index++;
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            var count = cell.GetProperty("execution_count");
            Assert.True(count.ValueKind == JsonValueKind.Number, $"{notebook}, cell {index}: not executed (execution_count is null)");
            Assert.True(count.GetInt32() > lastCount, $"{notebook}, cell {index}: execution_count {count.GetInt32()} is not after {lastCount} (cells did not run top to bottom)");
            lastCount = count.GetInt32();
            foreach (var output in cell.GetProperty("outputs").EnumerateArray())
            {
                outputs++;
                var type = output.GetProperty("output_type").GetString();
                if (type == "error") Assert.Fail($"{notebook}, cell {index}: the stored output is an error: {Describe(output)}");
            }
        }
        Assert.True(outputs > 0, $"{notebook}: no outputs are stored; commit the notebook executed (workbench notebook run --inplace --static-images)");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void ChartsCarryStaticImages(string notebook)
    {
        using var doc = Load(notebook);
        int index = 0;
        foreach (var cell in Cells(doc))
        {
            index++;
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            foreach (var output in cell.GetProperty("outputs").EnumerateArray())
            {
                if (!output.TryGetProperty("data", out var data) || !data.TryGetProperty("application/vnd.plotly.v1+json", out _)) continue;
                Assert.True(data.TryGetProperty("image/png", out var png) && PngText(png).Length > 100,
                    $"{notebook}, cell {index}: a Plotly chart without a static PNG (run with --static-images)");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void LoadsTheCoreFromTheRepositoryAndHasParameters(string notebook)
    {
        using var doc = Load(notebook);
        var code = Cells(doc).Where(c => c.GetProperty("cell_type").GetString() == "code").ToList();
        var first = Source(code[0]).Split('\n').Select(l => l.Trim()).ToList();
        // Both kernels understand #r of an assembly and #r "nuget:"; the Workbench-only #: directives would stop the
        // official kernel at the first cell.
        var notebookDir = Path.GetDirectoryName(Path.Combine(RepositoryRoot(), notebook))!;
        foreach (var project in new[] { "Workbench.Core", "Workbench.Plotting" })
        {
            var expected = $"#r \"../src/{project}/bin/Release/net10.0/{project}.dll\"";
            Assert.True(first.Contains(expected), $"{notebook}: the first code cell does not say {expected}");
            Assert.True(File.Exists(Path.Combine(notebookDir, "..", "src", project, project + ".csproj")), $"{notebook}: no project {project}");
        }
        foreach (var cell in code)
            Assert.False(Source(cell).Split('\n').Any(l => l.TrimStart().StartsWith("#:", StringComparison.Ordinal)),
                $"{notebook}: a #: directive, which the official kernel does not understand");

        var tagged = code.Count(c => c.GetProperty("metadata").TryGetProperty("tags", out var tags)
            && tags.EnumerateArray().Any(t => t.GetString() == "parameters"));
        Assert.True(tagged == 1, $"{notebook}: {tagged} cells are tagged 'parameters', expected exactly one");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void PackageDirectivesUseTheRepositorysVersions(string notebook)
    {
        // A notebook that asks for another version than the repository pins would load a different assembly than the
        // core was built against (or none, offline).
        var pinned = XDocument.Load(Path.Combine(RepositoryRoot(), "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);
        using var doc = Load(notebook);
        foreach (var line in Cells(doc).Where(c => c.GetProperty("cell_type").GetString() == "code").SelectMany(c => Source(c).Split('\n')))
        {
            var text = line.Trim();
            string? name = null, version = null;
            if (text.StartsWith("#:package ", StringComparison.Ordinal))
            {
                var spec = text["#:package ".Length..].Split("//")[0].Trim().Split('@');
                name = spec[0];
                version = spec.Length > 1 ? spec[1] : null;
            }
            else if (text.StartsWith("#r \"nuget:", StringComparison.OrdinalIgnoreCase))
            {
                var spec = text["#r \"nuget:".Length..].TrimEnd('"').Split(',');
                name = spec[0].Trim();
                version = spec.Length > 1 ? spec[1].Trim() : null;
            }
            if (name is null || !pinned.TryGetValue(name, out var expected)) continue;
            Assert.True(version == expected, $"{notebook}: '{text}' asks for {name} {version ?? "(any version)"}, the repository pins {expected}");
        }
    }

    // Absolute paths of this or another machine: a stored output must be what a reader gets from a clone.
    private static readonly string[] MachinePaths = ["/work/", "/home/", "/root/", "/tmp/", "/Users/", @"C:\"];

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NoStoredOutputContainsAMachinePath(string notebook)
    {
        using var doc = Load(notebook);
        int index = 0;
        foreach (var cell in Cells(doc))
        {
            index++;
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            foreach (var output in cell.GetProperty("outputs").EnumerateArray())
                foreach (var (kind, text) in OutputTexts(output))
                    foreach (var path in MachinePaths)
                    {
                        int at = text.IndexOf(path, StringComparison.Ordinal);
                        if (at >= 0)
                            Assert.Fail($"{notebook}, cell {index}: the stored {kind} contains the machine path " +
                                $"'{text.Substring(at, Math.Min(60, text.Length - at))}'");
                    }
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NoCodeLineIsLongerThan100Characters(string notebook)
    {
        // The exported HTML shows code without wrapping; longer lines scroll out of sight.
        using var doc = Load(notebook);
        int index = 0;
        foreach (var cell in Cells(doc))
        {
            index++;
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            var lines = Source(cell).Split('\n');
            for (int k = 0; k < lines.Length; k++)
                Assert.True(lines[k].Length <= 100,
                    $"{notebook}, cell {index}, line {k + 1}: {lines[k].Length} characters (at most 100): {lines[k].Trim()}");
        }
    }

    [Theory]
    [InlineData("notebooks/01-rnn.ipynb")]
    [InlineData("notebooks/02-lstm.ipynb")]
    [InlineData("notebooks/03-gru.ipynb")]
    [InlineData("notebooks/05-bidirectional.ipynb")]
    [InlineData("notebooks/07-word-embeddings-and-analogies.ipynb")]
    public void TheCellANotebookTeachesIsDrawnAsAStoredDiagram(string notebook)
    {
        using var doc = Load(notebook);
        var diagrams = Cells(doc)
            .Where(c => c.GetProperty("cell_type").GetString() == "code"
                && Source(c).TrimStart().StartsWith("#!mermaid", StringComparison.Ordinal))
            .ToList();
        Assert.True(diagrams.Count > 0, $"{notebook}: no #!mermaid cell");
        foreach (var cell in diagrams)
            Assert.True(cell.GetProperty("outputs").EnumerateArray().Any(o =>
                    o.TryGetProperty("data", out var data) && data.TryGetProperty("text/vnd.mermaid", out var mermaid)
                    && Joined(mermaid).Contains("flowchart", StringComparison.Ordinal)),
                $"{notebook}: a #!mermaid cell has no stored diagram output (run the notebook and store it)");
    }

    // The text an output shows (stream text, and every textual MIME type of a display; images are skipped).
    private static IEnumerable<(string Kind, string Text)> OutputTexts(JsonElement output)
    {
        if (output.TryGetProperty("text", out var text)) yield return ("stream", Joined(text));
        if (output.TryGetProperty("data", out var data))
            foreach (var mime in data.EnumerateObject())
                if (!mime.Name.StartsWith("image/", StringComparison.Ordinal)
                    && (mime.Value.ValueKind == JsonValueKind.String || (mime.Value.ValueKind == JsonValueKind.Array
                        && mime.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))))
                    yield return (mime.Name, Joined(mime.Value));
        if (output.TryGetProperty("evalue", out var evalue)) yield return ("error", evalue.GetString() ?? "");
    }

    private static JsonDocument Load(string notebook) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), notebook)));

    private static IEnumerable<JsonElement> Cells(JsonDocument doc) => doc.RootElement.GetProperty("cells").EnumerateArray();

    // nbformat stores multi-line strings either as one string or as a list of lines.
    private static string Source(JsonElement cell) => Joined(cell.GetProperty("source"));

    private static string PngText(JsonElement png) => Joined(png);

    private static string Joined(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? string.Concat(value.EnumerateArray().Select(e => e.GetString()))
        : value.GetString() ?? "";

    private static string Describe(JsonElement error) =>
        $"{error.GetProperty("ename").GetString()}: {error.GetProperty("evalue").GetString()}";

    private static string NotebooksFolder() => Path.Combine(RepositoryRoot(), "notebooks");

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln")) && Directory.Exists(Path.Combine(dir.FullName, "notebooks")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"No repository root (Workbench.sln next to notebooks/) above {AppContext.BaseDirectory}");
    }
}

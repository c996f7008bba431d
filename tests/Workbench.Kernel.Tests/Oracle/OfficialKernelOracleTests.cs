using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workbench.Kernel.Tests.Oracle;

/// <summary>
/// The official .NET Interactive kernel as a test oracle: each cell of the notebooks in Oracle/Notebooks (written
/// the .NET Interactive way) runs under both kernels, and its outputs, normalised by <see cref="OutputNormalizer"/>,
/// must be the same. Cells whose outputs differ by design say why in their metadata (oracle.why) and are checked on
/// ours alone against oracle.expect (one regular expression per normalised output line).
/// A case that fails is a difference the oracle found; fix the kernel, or, when the difference is by design, move the
/// cell to the second theory with its reason.
/// </summary>
public sealed class OfficialKernelOracleTests(OracleRuns runs) : IClassFixture<OracleRuns>
{
    [OfficialKernelTheory]
    [InlineData("csharp", "stream")]
    [InlineData("csharp", "result")]
    [InlineData("csharp", "string-result")]
    [InlineData("csharp", "double-result")]
    [InlineData("csharp", "list-result")]
    [InlineData("csharp", "null-result")]
    [InlineData("csharp", "compile-error")]
    [InlineData("csharp", "exception")]
    [InlineData("csharp", "after-error")]
    [InlineData("csharp", "display")]
    [InlineData("csharp", "to-display-string")]
    [InlineData("csharp", "formatter-register")]
    [InlineData("csharp", "get-input")]
    [InlineData("csharp", "set-input")]
    [InlineData("polyglot", "fsharp-result")]
    [InlineData("polyglot", "fsharp-print")]
    [InlineData("polyglot", "share-from-fsharp")]
    [InlineData("polyglot", "share-to-fsharp")]
    [InlineData("polyglot", "mixed-cell")]
    [InlineData("polyglot", "set-value")]
    [InlineData("polyglot", "value")]
    [InlineData("polyglot", "share-from-value")]
    [InlineData("polyglot", "html")]
    [InlineData("polyglot", "markdown")]
    [InlineData("magics", "setup")]
    [InlineData("magics", "who")]
    [InlineData("packages", "local-feed")]
    [InlineData("packages", "exact-version")]
    [InlineData("packages", "prerelease-range")]
    [InlineData("packages", "kernel-api-after-extension")]
    public void SameOutputsAsTheOfficialKernel(string notebook, string cell)
    {
        var run = runs.Get(notebook);
        var options = run.Options(cell);
        Assert.True(options["same"] is null || (bool)options["same"]!, $"{notebook}/{cell} is marked as differing by design");
        var mime = (string?)options["mime"];
        var mode = (string?)options["normalize"];
        var official = run.OfficialCell(cell);
        var ours = run.OursCell(cell);
        var expected = OutputNormalizer.Normalize(official["outputs"]!.AsArray(), mime, mode);
        var actual = OutputNormalizer.Normalize(ours["outputs"]!.AsArray(), mime, mode);
        Assert.True(expected.SequenceEqual(actual),
            $"{notebook}/{cell}: outputs differ\nofficial ({official["status"]}):\n  {string.Join("\n  ", expected)}\n" +
            $"ours ({ours["status"]}):\n  {string.Join("\n  ", actual)}\nraw official: {official["outputs"]!.ToJsonString()}\n" +
            $"raw ours: {ours["outputs"]!.ToJsonString()}");
        Assert.Equal((string?)official["status"], (string?)ours["status"]);
    }

    [OfficialKernelTheory]
    [InlineData("csharp", "display-update")]
    [InlineData("csharp", "console-readline")]
    [InlineData("polyglot", "mermaid")]
    [InlineData("polyglot", "javascript")]
    [InlineData("magics", "whos")]
    [InlineData("magics", "lsmagic")]
    [InlineData("magics", "about")]
    [InlineData("magics", "time")]
    [InlineData("polyglot", "fsharp-compile-error")]
    [InlineData("packages", "extension-package")]
    public void DiffersByDesignAndOursIsAsExpected(string notebook, string cell)
    {
        var run = runs.Get(notebook);
        var options = run.Options(cell);
        Assert.False(options["same"] is null || (bool)options["same"]!, $"{notebook}/{cell} is not marked as differing");
        Assert.False(string.IsNullOrWhiteSpace((string?)options["why"]), $"{notebook}/{cell} does not say why it differs");
        // Both kernels end the cell the same way (ok, or the error the cell is meant to raise).
        var status = (string?)options["status"] ?? "ok";
        var official = run.OfficialCell(cell);
        Assert.True((string?)official["status"] == status || (string?)official["status"] == "skipped", $"the official kernel ended {notebook}/{cell} unexpectedly: {official.ToJsonString()}");

        var ours = run.OursCell(cell);
        var actual = OutputNormalizer.Normalize(ours["outputs"]!.AsArray(), (string?)options["mime"], (string?)options["normalize"]);
        var expect = options["expect"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.True(actual.Count == expect.Count && actual.Zip(expect).All(p => Regex.IsMatch(p.First, "^(?:" + p.Second + ")$", RegexOptions.Singleline)),
            $"{notebook}/{cell}: ours\n  {string.Join("\n  ", actual)}\ndoes not match\n  {string.Join("\n  ", expect)}\nraw: {ours["outputs"]!.ToJsonString()}");
        Assert.Equal(status, (string?)ours["status"]);
    }

    /// <summary>Every cell of every oracle notebook is one case above, in the theory its metadata calls for.</summary>
    [Fact]
    public void EveryOracleCellIsATestCase()
    {
        static IEnumerable<string> Cases(string method) =>
            typeof(OfficialKernelOracleTests).GetMethod(method)!.GetCustomAttributes<InlineDataAttribute>()
                .Select(a => a.GetData(null!).Single()).Select(d => $"{d[0]}/{d[1]}");
        var same = Cases(nameof(SameOutputsAsTheOfficialKernel)).ToHashSet();
        var differs = Cases(nameof(DiffersByDesignAndOursIsAsExpected)).ToHashSet();
        var cells = new List<string>();
        foreach (var file in Directory.GetFiles(OracleRuns.NotebookFolder, "*.ipynb").Order(StringComparer.Ordinal))
        {
            var notebook = Path.GetFileNameWithoutExtension(file);
            foreach (var cell in JsonNode.Parse(File.ReadAllText(file))!["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code"))
            {
                var options = cell!["metadata"]!["oracle"]!;
                var name = $"{notebook}/{options["id"]}";
                cells.Add(name);
                var isSame = options["same"] is null || (bool)options["same"]!;
                Assert.True(isSame ? same.Contains(name) : differs.Contains(name), $"{name} is not a case of the theory it belongs to");
            }
        }
        Assert.Equal(cells.Order(StringComparer.Ordinal), same.Concat(differs).Order(StringComparer.Ordinal));
    }
}

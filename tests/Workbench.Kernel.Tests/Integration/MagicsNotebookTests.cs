using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>
/// Every magic and front-end language in one notebook, run by Debian's `jupyter nbconvert --execute` against the
/// installed kernel, then by the headless runner: each cell gives what the magic promises, and both give the same
/// outputs (wall times and generated element ids aside).
/// </summary>
public sealed partial class MagicsNotebookTests(KernelSpecFixture spec) : IClassFixture<KernelSpecFixture>
{
    private static readonly string[] Cells =
    {
        /* 0 */ "#!markdown\n# Title\n\n*emphasis* and $x^2$",
        /* 1 */ "#!html\n<b id=\"bold\">bold</b>",
        /* 2 */ "#!javascript\nconsole.log(\"from the page\");",
        /* 3 */ "#!mermaid\ngraph LR\n  x_t --> h_t",
        /* 4 */ "#!value --name greeting\nhello, values",
        /* 5 */ "#!set --name fromValue --value @value:greeting\n#!set --name literal --value 41\nConsole.WriteLine($\"{fromValue} / {literal}\");",
        /* 6 */ "var counts = new[] { 1, 2, 3 };\n#!fsharp\n#!share --from csharp counts --as fsCounts\nprintfn \"%d\" (Array.sum fsCounts)",
        /* 7 */ "#!who",
        /* 8 */ "#!whos",
        /* 9 */ "#!lsmagic",
        /* 10 */ "#!about",
        /* 11 */ "#!time\nSystem.Threading.Thread.Sleep(20);\nConsole.WriteLine(\"timed\");",
        /* 12 */ "#!c#\ncounts.Length",
        /* 13 */ "#!nosuchmagic\n1",
        /* 14 */ "#!set --name missing --value @csharp:doesNotExist",
    };

    [Fact]
    public void EveryMagicRunsAlikeThroughNbconvertAndTheRunner()
    {
        var work = Path.Combine(spec.Prefix, "magicsnb");
        Directory.CreateDirectory(work);
        var input = Path.Combine(work, "magics.ipynb");
        File.WriteAllText(input, KernelSpecFixture.CodeNotebook(Cells).ToJsonString());

        var cells = spec.Nbconvert(work, input, TimeSpan.FromSeconds(400));
        JsonArray Outputs(int i) => cells[i]!["outputs"]!.AsArray();
        string Text(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(n => (string?)n)) : (string?)node ?? "";
        string Data(int i, string mime) =>
            string.Concat(Outputs(i).Where(o => o!["data"]?[mime] is not null).Select(o => Text(o!["data"]![mime])));
        string Stdout(int i) =>
            string.Concat(Outputs(i).Where(o => (string?)o!["name"] == "stdout").Select(o => Text(o!["text"])));
        JsonNode Error(int i) => Assert.Single(Outputs(i), o => (string?)o!["output_type"] == "error")!;

        Assert.Contains("<h1", Data(0, "text/html"));
        Assert.Contains("<em>emphasis</em>", Data(0, "text/html"));
        Assert.Contains("<b id=\"bold\">bold</b>", Data(1, "text/html"));
        Assert.Contains("console.log(\"from the page\");", Data(2, "text/html") + Data(2, "application/javascript"));
        Assert.Contains("x_t --&gt; h_t", Data(3, "text/html")); // the diagram source, escaped inside its element
        Assert.Equal("hello, values / 41\n", Stdout(5));
        Assert.Equal("6\n", Stdout(6));
        var who = Data(7, "text/plain");
        foreach (var name in new[] { "counts", "fromValue", "literal" }) Assert.Contains(name, who);
        var whos = Data(8, "text/plain");
        Assert.True(Regex.IsMatch(whos, @"counts\s+(int|Int32|System\.Int32)\[\]"), whos);
        var lsmagic = Data(9, "text/plain") + Data(9, "text/html");
        foreach (var magic in new[] { "#!set", "#!share", "#!value", "#!who", "#!whos", "#!time", "#!about", "#!fsharp", "#!markdown", "#!mermaid" })
            Assert.Contains(magic, lsmagic);
        Assert.False(string.IsNullOrWhiteSpace(Data(10, "text/plain") + Data(10, "text/html")), "#!about printed nothing");
        Assert.Equal("timed\n", Stdout(11));
        Assert.Matches(@"Wall time: [0-9.]+ ?ms", string.Concat(Outputs(11).Select(o => Text(o!["text"]) + Text(o!["data"]?["text/plain"]))));
        Assert.Equal("3", Data(12, "text/plain"));
        Assert.Contains("nosuchmagic", (string?)Error(13)["evalue"]);
        var missing = (string?)Error(14)["evalue"] ?? "";
        Assert.Contains("doesNotExist", missing);
        Assert.Contains("csharp", missing);

        // The headless runner, on the same notebook, writes the same outputs as the kernel did through Jupyter.
        spec.AssertRunnerAgrees(work, input, cells, TimeSpan.FromSeconds(400), Masked);
    }

    // Wall times, and the ids a front-end cell gives its element, are new on every run.
    private static string Masked(string comparable) => Ids().Replace(WallTime().Replace(comparable, "Wall time: <t>"), "<id>");

    [GeneratedRegex(@"Wall time: [0-9.]+ ?ms")]
    private static partial Regex WallTime();

    [GeneratedRegex(@"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|[0-9a-f]{16,}")]
    private static partial Regex Ids();
}

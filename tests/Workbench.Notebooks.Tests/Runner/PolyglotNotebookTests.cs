using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workbench.Runner.Export;
using Workbench.Runner.Nbformat;
using Workbench.Runner.Polyglot;
using Workbench.Runner.Rendering;
using Workbench.Runner.Running;

namespace Workbench.Notebooks.Tests.Runner;

/// <summary>
/// A notebook saved by VS Code's Polyglot Notebooks extension (cell kernels in metadata.polyglot_notebook, one older
/// cell with dotnet_interactive.language, one with no metadata): the runner runs each cell in its language, writes
/// the languages back, and the exported page draws every front-end output offline.
/// </summary>
[Collection(RunnerCollection.Name)]
public class PolyglotNotebookTests
{
    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Polyglot", "vscode-polyglot.ipynb");

    private static async Task<Notebook> RunFixtureAsync()
    {
        var notebook = NotebookReader.Read(Fixture);
        var result = await NotebookRunner.ExecuteAsync(notebook, Path.GetDirectoryName(Fixture)!, new NotebookRunOptions(), "vscode-polyglot.ipynb");
        Assert.True(result.Succeeded, result.ErrorSummary);
        Assert.Equal(8, result.ExecutedCells);
        return notebook;
    }

    private static JsonObject Data(NotebookCell cell) => (JsonObject)cell.Outputs.Single()["data"]!;

    [Fact]
    public async Task EachCellRunsInTheLanguageItsMetadataNames()
    {
        var nb = await RunFixtureAsync();
        Assert.Equal("hello\n", nb.Cells[1].Outputs.Single()["text"]!.GetValue<string>());
        Assert.Equal("<b id=\"from-html\">bold HTML</b>", Data(nb.Cells[2])["text/html"]!.GetValue<string>());
        Assert.Contains("<strong>rendered</strong> Markdown", Data(nb.Cells[3])["text/html"]!.GetValue<string>());
        var mermaid = Data(nb.Cells[4]);
        Assert.Equal("graph LR\n    A[king] --> B[queen]", mermaid["text/vnd.mermaid"]!.GetValue<string>());
        Assert.Equal(["text/html", "text/vnd.mermaid", "text/plain"], mermaid.Select(p => p.Key));
        Assert.Equal("document.body.dataset.ran = \"javascript\";", Data(nb.Cells[5])["application/javascript"]!.GetValue<string>());
        Assert.Equal("some text", Data(nb.Cells[6])["text/plain"]!.GetValue<string>()); // #!value stores the text and shows it
        Assert.Equal("SOME TEXT", Data(nb.Cells[7])["text/plain"]!.GetValue<string>());
        Assert.Equal("5", Data(nb.Cells[8])["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task LanguagesAndKernelInfoAreWrittenBackAsPolyglotNotebooksStoresThem()
    {
        var nb = await RunFixtureAsync();
        Assert.Equal(["csharp", "html", "markdown", "mermaid", "javascript", "value", "csharp", "csharp"],
            nb.Cells.Where(c => c.IsCode).Select(c => c.Metadata["polyglot_notebook"]!["kernelName"]!.GetValue<string>()));
        Assert.Equal("csharp", nb.Cells[7].Metadata["dotnet_interactive"]!["language"]!.GetValue<string>());
        Assert.Equal("polyglot-notebook", nb.Cells[1].Metadata["vscode"]!["languageId"]!.GetValue<string>()); // kept
        Assert.Empty(nb.Cells[0].Metadata); // Markdown cells carry no kernel

        var info = (JsonObject)nb.Metadata["polyglot_notebook"]!["kernelInfo"]!;
        Assert.Equal("csharp", info["defaultKernelName"]!.GetValue<string>());
        var items = info["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(items.Select(i => i["name"]!.GetValue<string>()).Order(StringComparer.Ordinal), items.Select(i => i["name"]!.GetValue<string>()));
        Assert.Contains("{\"aliases\":[\"md\"],\"languageName\":\"Markdown\",\"name\":\"markdown\"}",
            items.Select(i => new JsonObject(i.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString()));
        var csharp = items.Single(i => i["name"]!.GetValue<string>() == "csharp");
        Assert.Equal("C#", csharp["languageName"]!.GetValue<string>());
        Assert.Contains("c#", csharp["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(".net-csharp", nb.Metadata["kernelspec"]!["name"]!.GetValue<string>()); // the kernelspec is the file's

        // Written and read back, the metadata is what a reader of the format finds.
        var again = NotebookReader.Parse(NotebookWriter.Serialize(nb), "again.ipynb");
        Assert.Equal("mermaid", PolyglotMetadata.CellKernelName(again.Cells[4]));
        Assert.Equal("csharp", PolyglotMetadata.DefaultKernelName(again));
    }

    [Fact]
    public async Task UnknownCellLanguageFailsThatCellNamingIt()
    {
        var nb = Notebook.CreateCSharp();
        var cell = NotebookCell.Code("Write-Host 'hi'");
        cell.Metadata["polyglot_notebook"] = new JsonObject { ["kernelName"] = "pwsh" };
        nb.Cells.Add(cell);
        var result = await NotebookRunner.ExecuteAsync(nb, Path.GetTempPath(), new NotebookRunOptions { ChangeCurrentDirectory = false });
        var failure = Assert.Single(result.Failures);
        Assert.Equal("MagicError", failure.ErrorName);
        Assert.Contains("unknown language 'pwsh'", failure.Message);
        Assert.Equal("pwsh", PolyglotMetadata.CellKernelName(nb.Cells[0])); // the cell keeps its language
    }

    [Fact]
    public async Task ExportedPageInlinesMermaidOnlyWhenThereIsADiagram()
    {
        var html = HtmlExporter.Export(await RunFixtureAsync());
        Assert.Single(Regex.Matches(html, Regex.Escape("globalThis[\"mermaid\"]=") + "|" + Regex.Escape("globalThis[\"mermaid\"] =")));
        Assert.Contains("<pre class=\"mermaid\">graph LR\n    A[king] --&gt; B[queen]</pre>", html);
        Assert.Contains("<span class=\"kernel\">mermaid</span>", html);
        Assert.Contains("<code class=\"language-html\">&lt;b id=&quot;from-html&quot;&gt;bold HTML&lt;/b&gt;</code>", html);
        Assert.Contains("<script type=\"text/javascript\">\ndocument.body.dataset.ran = \"javascript\";\n</script>", html);
        // The diagram's own text/html (which would load Mermaid from jsDelivr) is not used.
        Assert.DoesNotContain("cdn.jsdelivr.net", html);
        Assert.DoesNotContain("mermaid.min.js", HtmlExporter.Export(Notebook.CreateCSharp()));
        Assert.DoesNotContain("globalThis[\"mermaid\"]", HtmlExporter.Export(Notebook.CreateCSharp()));

        // A bundle with only application/javascript runs as a script too ("</script" inside cannot end it).
        var scriptOnly = Notebook.CreateCSharp();
        var cell = NotebookCell.Code("");
        cell.Outputs.Add(new JsonObject { ["output_type"] = "display_data", ["metadata"] = new JsonObject(),
            ["data"] = new JsonObject { ["application/javascript"] = "var s = '</script>'; window.x = 1;", ["text/plain"] = "<IPython.core.display.Javascript object>" } });
        scriptOnly.Cells.Add(cell);
        Assert.Contains("<div class=\"output\"><script>\nvar s = '<\\/script>'; window.x = 1;\n</script></div>", HtmlExporter.Export(scriptOnly));

        // A ```mermaid block in a Markdown cell is a diagram too.
        var markdownOnly = Notebook.CreateCSharp();
        markdownOnly.Cells.Add(NotebookCell.Markdown("```mermaid\ngraph TD\n  X --> Y\n```"));
        Assert.Contains("<pre class=\"mermaid\">graph TD\n  X --> Y\n</pre>", HtmlExporter.Export(markdownOnly));
        Assert.Contains("globalThis[\"mermaid\"]", HtmlExporter.Export(markdownOnly));
    }

    [Fact]
    public async Task ExportedPageDrawsTheDiagramRunsTheScriptAndShowsHtmlAndMarkdownInChromiumOffline()
    {
        Assert.True(HeadlessChromium.IsAvailable(), "Chromium is a test dependency (scripts/install-deps.sh)");
        var nb = await RunFixtureAsync();
        nb.Cells.Add(NotebookCell.Markdown("```mermaid\nsequenceDiagram\n  Alice->>Bob: hi\n```"));
        var dir = Directory.CreateTempSubdirectory("wb-polyglot-export-");
        try
        {
            var page = Path.Combine(dir.FullName, "polyglot.html");
            File.WriteAllText(page, HtmlExporter.Export(nb));
            var dom = await HeadlessChromium.DumpDomAsync(page, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(120),
                extraArguments: ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]);
            dom = Regex.Replace(dom, "<script\\b[^>]*>.*?</script>", "", RegexOptions.Singleline); // the page, not the inlined libraries
            Assert.Matches("<body[^>]*data-ran=\"javascript\"", dom);
            Assert.Contains("<b id=\"from-html\">bold HTML</b>", dom);
            Assert.Contains("<strong>rendered</strong> Markdown", dom);
            Assert.Matches("<span class=\"katex\">", dom); // $x^2$ in the #!markdown output
            // Both diagrams were drawn: Mermaid replaced their text with SVG holding the node labels.
            var svgs = Regex.Matches(dom, "<svg[^>]*aria-roledescription=\"([a-zA-Z0-9-]+)\"").Select(m => m.Groups[1].Value).ToList();
            Assert.True(svgs.Contains("flowchart-v2") && svgs.Contains("sequence"), $"diagrams drawn: [{string.Join(", ", svgs)}]");
            Assert.Contains(">king<", dom);
            Assert.Contains(">queen<", dom);
            Assert.DoesNotContain("Syntax error in text", dom);
        }
        finally { dir.Delete(true); }
    }
}

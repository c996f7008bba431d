using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workbench.Notebooks.Display;
using Workbench.Notebooks.Formatting;
using Workbench.Plotting;
using Workbench.Notebooks.Tests.Formatting;
using Workbench.Runner.Export;
using Workbench.Runner.Nbformat;
using Workbench.Runner.Rendering;

namespace Workbench.Notebooks.Tests.Runner;

public class HtmlExporterTests
{
    /// <summary>Every kind of cell and output, built without running anything.</summary>
    private static Notebook Showcase()
    {
        var registry = new FormatterRegistry();
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Markdown(
            "# Showcase\n\nInline $h_t = \\tanh(W x_t + b)$ and display $$\\sigma(x) = \\frac{1}{1+e^{-x}}$$\n\n$$\n\\mathbf{c}_t = \\mathbf{f}_t \\odot \\mathbf{c}_{t-1}\n$$\n\n| gate | symbol |\n|---|---|\n| forget | $f_t$ |\n"));
        var code = NotebookCell.Code("if (a < b && c > d) Console.WriteLine(\"<tag>\");");
        code.ExecutionCount = 1;
        code.Outputs.Add(NotebookOutputs.Stream("stdout", "<tag>\n"));
        code.Outputs.Add(NotebookOutputs.Stream("stderr", "\u001b[31mred warning\u001b[0m\n"));
        code.Outputs.Add(NotebookOutputs.ExecuteResult(registry.Format(new[] { new { Word = "king", Count = 3 } }), 1));
        code.Outputs.Add(NotebookOutputs.DisplayData(registry.Format(Image.FromPng(DisplayTypesTests.OnePixelPng, width: 40))));
        code.Outputs.Add(NotebookOutputs.DisplayData(registry.Format(new Svg("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>"))));
        code.Outputs.Add(NotebookOutputs.DisplayData(registry.Format(new Markdown("Output *markdown* with $x^2$"))));
        code.Outputs.Add(NotebookOutputs.DisplayData(registry.Format(new Latex(@"\sum_{i=1}^n i = \frac{n(n+1)}{2}"))));
        // Two charts: the first bundle carries plotly.js in its HTML; the page must still hold it once.
        code.Outputs.Add(NotebookOutputs.DisplayData(registry.Format(Plot.Line(new[] { 1.0, 2, 3 }, "loss").WithTitle("Loss"))));
        code.Outputs.Add(NotebookOutputs.ExecuteResult(registry.Format(Plot.Heatmap(new double[,] { { 1, 2 }, { 3, 4 } })), 1));
        code.Outputs.Add(NotebookOutputs.Error("InvalidOperationException", "boom <b>", ["\u001b[31mInvalidOperationException: boom <b>\u001b[0m", "   at <cell> in cell[1]:line 1"]));
        nb.Cells.Add(code);
        nb.Cells.Add(new NotebookCell("raw", "not shown"));
        return nb;
    }

    private static string WithoutScriptsAndStyles(string html) =>
        Regex.Replace(html, "<(script|style)\\b[^>]*>.*?</\\1>", "", RegexOptions.Singleline);

    [Fact]
    public void PageIsStandaloneWithPlotlyOnceAndKatexFontsInlined()
    {
        var html = HtmlExporter.Export(Showcase());
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>Showcase</title>", html);
        Assert.Single(Regex.Matches(html, Regex.Escape("plotly.js v" + PlotlyView.PlotlyJsVersion)));
        Assert.Equal(20, Regex.Matches(html, "url\\(data:font/woff2;base64,").Count);
        Assert.DoesNotContain("url(fonts/", html);
        // Nothing is fetched: no element loads a URL, and outside the inlined libraries no URL appears at all.
        Assert.DoesNotMatch(new Regex("<[a-z]+[^>]*\\b(src|href)\\s*=\\s*[\"']?(https?:)?//", RegexOptions.IgnoreCase),
            Regex.Replace(html, "(<(script|style)\\b[^>]*>).*?</\\2>", "$1</$2>", RegexOptions.Singleline));
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("http", WithoutScriptsAndStyles(html));
        Assert.Equal(2, Regex.Matches(html, "<div id=\"chart-\\d\" class=\"workbench-plotly\">").Count);
    }

    [Fact]
    public void CellsAndOutputsAreRenderedAndEscaped()
    {
        var html = HtmlExporter.Export(Showcase());
        Assert.Contains("<h1 id=\"showcase\">Showcase</h1>", html);
        Assert.Contains("<span class=\"math\">\\(h_t = \\tanh(W x_t + b)\\)</span>", html);
        Assert.Contains("<span class=\"math math-display\">\\[\\sigma(x) = \\frac{1}{1+e^{-x}}\\]</span>", html);
        Assert.Contains("<div class=\"math\">", html);
        Assert.Contains("<th>gate</th>", html);
        Assert.Contains("In [1]:", html);
        Assert.Contains("<span class=\"k\">if</span> (a &lt; b &amp;&amp; c &gt; d) Console.WriteLine(<span class=\"s\">&quot;&lt;tag&gt;&quot;</span>);", html);
        Assert.Contains("<pre class=\"output stream stdout\">&lt;tag&gt;\n</pre>", html);
        Assert.Contains("<pre class=\"output stream stderr\">red warning\n</pre>", html);
        Assert.Contains("<td>king</td>", html);
        Assert.Contains($"<img alt=\"output image\" width=\"40\" src=\"data:image/png;base64,{Convert.ToBase64String(DisplayTypesTests.OnePixelPng)}\">", html);
        Assert.Contains("src=\"data:image/svg+xml;base64,", html);
        Assert.Contains("<div class=\"markdown\"><p>Output <em>markdown</em> with <span class=\"math\">\\(x^2\\)</span></p>", html);
        Assert.Contains("<div class=\"latex-output math-display\">$$\\sum_{i=1}^n i = \\frac{n(n+1)}{2}$$</div>", html);
        Assert.Contains("<pre class=\"output error\">InvalidOperationException: boom &lt;b&gt;\n   at &lt;cell&gt; in cell[1]:line 1</pre>", html);
        Assert.DoesNotContain("\u001b", WithoutScriptsAndStyles(html));
        Assert.DoesNotContain("not shown", html);
        Assert.DoesNotContain("In [", HtmlExporter.Export(Showcase(), new HtmlExportOptions { IncludeCode = false }));
    }

    [Theory]
    [InlineData("var x = 1.5f; // <note>", "<span class=\"k\">var</span> x = <span class=\"n\">1.5f</span>; <span class=\"c\">// &lt;note&gt;</span>")]
    [InlineData("#r \"nuget: X, 1.0\"\nint y;", "<span class=\"d\">#r &quot;nuget: X, 1.0&quot;</span>\n<span class=\"k\">int</span> y;")]
    [InlineData("$\"{a}\\\"\" + @\"c:\\\"\"d\" + 'x'", "<span class=\"s\">$&quot;{a}\\&quot;&quot;</span> + <span class=\"s\">@&quot;c:\\&quot;&quot;d&quot;</span> + <span class=\"s\">&#39;x&#39;</span>")]
    [InlineData("/* a\nb */ stringly", "<span class=\"c\">/* a\nb */</span> stringly")]
    public void CodeIsHighlightedAndEscaped(string code, string expected) =>
        Assert.Equal(expected, CSharpHighlighter.Highlight(code));

    [Fact]
    public void MarkdownAttachmentsAreInlined()
    {
        var nb = Notebook.CreateCSharp();
        var cell = NotebookCell.Markdown("![plot](attachment:plot.png)");
        cell.Attachments = new JsonObject { ["plot.png"] = new JsonObject { ["image/png"] = "iVBORw0KGgo=" } };
        nb.Cells.Add(cell);
        Assert.Contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"plot\" />", HtmlExporter.Export(nb));
    }

    [Fact]
    public async Task ExportedPageShowsEveryChartAndTypesetMathInChromiumWithTheNetworkBlocked()
    {
        Assert.True(HeadlessChromium.IsAvailable(), "Chromium is a test dependency (scripts/install-deps.sh)");
        var dir = Directory.CreateTempSubdirectory("wb-export-");
        try
        {
            var notebookPath = Path.Combine(dir.FullName, "showcase.ipynb");
            NotebookWriter.Write(Showcase(), notebookPath);
            var page = HtmlExporter.ExportFile(notebookPath);
            Assert.Equal(Path.Combine(dir.FullName, "showcase.html"), page);

            // Every request that is not a local file goes to a proxy that does not exist.
            var dom = await HeadlessChromium.DumpDomAsync(page, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(90),
                extraArguments: ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]);
            foreach (var chart in new[] { "chart-1", "chart-2" })
            {
                var element = Regex.Match(dom, $"<div id=\"{chart}\" class=\"workbench-plotly js-plotly-plot\"");
                Assert.True(element.Success, $"{chart} was not drawn by Plotly");
            }
            Assert.True(Regex.Matches(dom, "class=\"main-svg\"").Count >= 2);
            Assert.Contains("class=\"heatmaplayer", dom);
            Assert.True(Regex.Matches(dom, "<span class=\"katex\">").Count >= 6, "KaTeX did not typeset the math");
            Assert.True(Regex.Matches(dom, "<span class=\"katex-display\">").Count >= 3, "display math is missing");
            Assert.DoesNotContain("class=\"katex-error\"", dom);
        }
        finally { dir.Delete(true); }
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workbench.Runner.Export;
using Workbench.Runner.Nbformat;
using Workbench.Runner.Rendering;
using Workbench.Runner.Running;

namespace Workbench.Notebooks.Tests.Runner;

/// <summary>A run saves each widget's last state in the notebook metadata; the exported page shows it.</summary>
[Collection(RunnerCollection.Name)]
public sealed class WidgetExportTests
{
    private static Notebook WidgetNotebook()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Code(
            "using Workbench.Notebooks.Widgets;\n" +
            "var bias = new FloatSlider(value: 0.5, min: -2, max: 2, step: 0.25, description: \"b_z\");\n" +
            "var steps = new IntSlider(value: 3, max: 10, description: \"steps\");\n" +
            "var gate = new Dropdown(new[] { \"reset\", \"update\" }, description: \"gate\");\n" +
            "var go = new Button(description: \"Redraw <now>\");\n" +
            "var log = new Output();\n" +
            "var changes = 0;\n" +
            "steps.ValueChanged += (s, e) => changes++;\n" +
            "display(bias); display(steps); display(gate); display(go);\n" +
            "log"));
        nb.Cells.Add(NotebookCell.Code(
            "bias.Value = 1.25; steps.Value = 7; steps.Value = 70; gate.Value = \"update\"; log.AppendStdout(\"redrawn\\n\");\n" +
            "log.AppendDisplayData(Plotly.NET.CSharp.Chart.Line<int, double, string>(x: new[] { 0, 1, 2 }, y: new[] { 0.0, 1.0, 4.0 }));\nchanges"));
        return nb;
    }

    [Fact]
    public async Task RunSavesWidgetStateAndTheExportedPageShowsItInChromium()
    {
        var path = TestNotebooks.WriteToTempFolder(WidgetNotebook(), "widgets.ipynb");
        var dir = Path.GetDirectoryName(path)!;
        try
        {
            var result = await NotebookRunner.RunFileAsync(path, null, new NotebookRunOptions());
            Assert.Empty(result.Failures);
            var nb = Workbench.Runner.Files.NotebookFile.Read(path);
            // The handler ran for 3 → 7 and 7 → 10 (70 was clamped).
            Assert.Equal("2", NotebookReader.MultilineText(nb.Cells[1].Outputs.Single()["data"]!["text/plain"]!));

            // metadata.widgets holds every model (5 widgets, 5 layouts, 4 styles) in the widget-state format, each view's model among them.
            var saved = nb.Metadata["widgets"]!["application/vnd.jupyter.widget-state+json"]!;
            Assert.Equal(2, (int)saved["version_major"]!);
            Assert.Equal(0, (int)saved["version_minor"]!);
            var models = saved["state"]!.AsObject();
            Assert.Equal(14, models.Count);
            var views = nb.Cells[0].Outputs.Select(o => (string)o["data"]!["application/vnd.jupyter.widget-view+json"]!["model_id"]!).ToList();
            Assert.Equal(5, views.Count);
            var byName = views.ToDictionary(v => (string)models[v]!["model_name"]!, v => models[v]!["state"]!);
            Assert.Equal(new[] { "FloatSliderModel", "IntSliderModel", "DropdownModel", "ButtonModel", "OutputModel" }, byName.Keys);
            Assert.Equal(1.25, (double)byName["FloatSliderModel"]["value"]!);
            Assert.Equal(10, (int)byName["IntSliderModel"]["value"]!);
            Assert.Equal(1, (int)byName["DropdownModel"]["index"]!);
            Assert.Equal("@jupyter-widgets/controls", (string?)models[views[0]]!["model_module"]);
            Assert.Equal("2.0.0", (string?)models[views[0]]!["model_module_version"]);
            var loggedOutputs = byName["OutputModel"]["outputs"]!.AsArray();
            Assert.Equal(2, loggedOutputs.Count);
            Assert.NotNull(loggedOutputs[1]!["data"]!["application/vnd.plotly.v1+json"]);
            var logged = loggedOutputs[0]!;
            Assert.Equal(("stream", "stdout", "redrawn\n"), ((string?)logged["output_type"], (string?)logged["name"], (string?)logged["text"]));
            var layout = ((string)byName["IntSliderModel"]["layout"]!)["IPY_MODEL_".Length..];
            Assert.Equal("LayoutModel", (string?)models[layout]!["model_name"]);

            var page = HtmlExporter.ExportFile(path);
            var html = File.ReadAllText(page);
            Assert.Contains("<input type=\"range\" min=\"0\" max=\"10\" step=\"1\" value=\"10\" disabled><output class=\"readout\">10</output>", html);
            Assert.Contains("<output class=\"readout\">1.25</output>", html);
            Assert.Contains("<button type=\"button\" disabled>Redraw &lt;now&gt;</button>", html);
            Assert.Contains("<option>reset</option><option selected>update</option>", html);

            Assert.True(HeadlessChromium.IsAvailable(), "Chromium is a test dependency (scripts/install-deps.sh)");
            var dom = await HeadlessChromium.DumpDomAsync(page, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(90),
                extraArguments: ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]);
            Assert.Matches(new Regex($"<div class=\"widget widget-slider\" data-model-id=\"{views[1]}\"><label>steps</label><input type=\"range\" min=\"0\" max=\"10\" step=\"1\" value=\"10\" disabled=\"\">"), dom);
            Assert.Matches(new Regex($"data-model-id=\"{views[0]}\"><label>b_z</label><input type=\"range\" min=\"-2\" max=\"2\" step=\"0.25\" value=\"1.25\" disabled=\"\"><output class=\"readout\">1.25</output>"), dom);
            Assert.Contains("<select disabled=\"\"><option>reset</option><option selected=\"\">update</option></select>", dom);
            Assert.Contains("<button type=\"button\" disabled=\"\">Redraw &lt;now&gt;</button>", dom);
            // The Output widget shows its text and its chart, drawn by the page's plotly.js.
            Assert.Matches(new Regex($"data-model-id=\"{views[4]}\"><pre class=\"output stream stdout\">redrawn\n</pre><div class=\"output\">(?:(?!</div>).)*<div id=\"chart-1\" class=\"workbench-plotly js-plotly-plot\"", RegexOptions.Singleline), dom);
            Assert.Contains("class=\"main-svg\"", dom);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

using System.Text.Json.Nodes;
using Workbench.Notebooks.Formatting;
using Workbench.Plotting;
using Workbench.Runner.Nbformat;
using Workbench.Runner.Parameters;
using Workbench.Runner.Rendering;
using Workbench.Runner.Running;

namespace Workbench.Notebooks.Tests.Runner;

[Collection(RunnerCollection.Name)]
public class NotebookRunnerTests
{
    private static readonly Dictionary<string, string> Overrides = new() { ["epochs"] = "3", ["label"] = "tuned" };

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    [Fact]
    public async Task RunWritesEveryKindOfOutputAndKeepsGoingWhenErrorsAreAllowed()
    {
        var path = TestNotebooks.WriteToTempFolder(TestNotebooks.Exercise());
        var output = Path.Combine(Path.GetDirectoryName(path)!, "out", "exercise.ipynb");
        var before = Environment.CurrentDirectory;
        try
        {
            var result = await NotebookRunner.RunFileAsync(path, output,
                new NotebookRunOptions { Parameters = Overrides, AllowErrors = true });
            Assert.Equal(before, Environment.CurrentDirectory);

            var failure = Assert.Single(result.Failures);
            // Numbered as in the notebook the user wrote (8th cell), not in the written one, which has the injected cell too.
            Assert.Equal(8, failure.CellNumber);
            Assert.Equal(8, failure.ExecutionCount);
            Assert.Equal(2, failure.Line);
            Assert.Equal("FormatException", failure.ErrorName);
            Assert.Equal(9, result.ExecutedCells);

            // What was written is what the run produced, and reads back as a valid notebook.
            var nb = NotebookReader.Read(output);
            Assert.Equal(NotebookWriter.Serialize(result.Notebook), File.ReadAllText(output));
            Assert.Equal(10, nb.Cells.Count);
            Assert.True(nb.Cells[2].HasTag(NotebookParameters.InjectedTag));
            Assert.Equal(2, nb.Cells[2].ExecutionCount);

            var state = nb.Cells[3];
            Assert.Equal(3, state.ExecutionCount);
            // The engine buffers stdout and stderr separately (as ipykernel does), so only the order within a stream is fixed.
            Assert.Equal(3, state.Outputs.Count);
            Assert.Equal("total=6\nlabel=tuned\n", Text(state.Outputs.Single(o => Text(o["name"]) == "stdout")["text"]));
            Assert.Equal("warn\n", Text(state.Outputs.Single(o => Text(o["name"]) == "stderr")["text"]));
            var result6 = state.Outputs[^1];
            Assert.Equal("execute_result", Text(result6["output_type"]));
            Assert.Equal(3, result6["execution_count"]!.GetValue<int>());
            Assert.Equal("6", Text(result6["data"]!["text/plain"]));

            var display = Assert.Single(nb.Cells[4].Outputs);
            Assert.Equal("display_data", Text(display["output_type"]));
            Assert.Equal("step 3", Text(display["data"]!["text/plain"]));

            Assert.Equal("from-folder", Text(Assert.Single(nb.Cells[5].Outputs)["data"]!["text/plain"]));
            Assert.Equal("**bold**", Text(Assert.Single(nb.Cells[6].Outputs)["data"]!["text/markdown"]));

            var chart = Assert.Single(nb.Cells[7].Outputs)["data"]!.AsObject();
            Assert.Equal("squares", Text(chart[PlotlyView.MimeType]!["data"]![0]!["name"]));
            Assert.Contains("plotly.js v" + PlotlyView.PlotlyJsVersion, Text(chart["text/html"]));

            var error = Assert.Single(nb.Cells[8].Outputs);
            Assert.Equal("error", Text(error["output_type"]));
            Assert.Equal("FormatException", Text(error["ename"]));
            Assert.Contains("line 2", error["traceback"]!.ToJsonString());

            Assert.Equal("after\n", Text(Assert.Single(nb.Cells[9].Outputs)["text"]));
            Assert.Null(nb.Cells[0].ExecutionCount);
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }

    [Fact]
    public async Task CompileErrorStopsTheRunAndNamesTheLineAndStaleOutputsAreCleared()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Code("var a = 1;\nvar b = ;"));
        var later = NotebookCell.Code("a");
        later.ExecutionCount = 7;
        later.Outputs.Add(NotebookOutputs.Stream("stdout", "stale"));
        nb.Cells.Add(later);
        var result = await NotebookRunner.ExecuteAsync(nb, Path.GetTempPath(), new NotebookRunOptions { ChangeCurrentDirectory = false }, "inline.ipynb");
        var failure = Assert.Single(result.Failures);
        Assert.Equal("CompilationError", failure.ErrorName);
        Assert.Equal(2, failure.Line);
        Assert.StartsWith("inline.ipynb: cell 1 (In [1], id ", result.ErrorSummary);
        Assert.Contains("), line 2: CompilationError: (2,", result.ErrorSummary);
        Assert.Empty(later.Outputs);
        Assert.Null(later.ExecutionCount);
        Assert.Equal(1, result.ExecutedCells);
    }

    [Fact]
    public async Task CellPastItsTimeoutIsInterruptedAndNamed()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Markdown("spin"));
        nb.Cells.Add(NotebookCell.Code("while (true) { Cancellation.ThrowIfCancellationRequested(); Thread.Sleep(20); }"));
        nb.Cells.Add(NotebookCell.Code("1"));
        var result = await NotebookRunner.ExecuteAsync(nb, Path.GetTempPath(),
            new NotebookRunOptions { CellTimeout = TimeSpan.FromSeconds(1), ChangeCurrentDirectory = false });
        var failure = Assert.Single(result.Failures);
        Assert.True(failure.TimedOut);
        Assert.Equal(2, failure.CellNumber);
        Assert.Equal("cell 2 did not finish within 1 s and was interrupted", failure.Message);
        var error = Assert.Single(nb.Cells[1].Outputs);
        Assert.Equal("CellTimeout", error["ename"]!.GetValue<string>());
        Assert.Empty(nb.Cells[2].Outputs);
    }

    [Fact]
    public async Task UnreadableNotebookOrBadParameterThrowsBeforeAnythingIsWritten()
    {
        var dir = Directory.CreateTempSubdirectory("wb-runner-bad-").FullName;
        try
        {
            var broken = Path.Combine(dir, "broken.ipynb");
            File.WriteAllText(broken, "{\"cells\": [}");
            var e = await Assert.ThrowsAsync<NotebookFormatException>(() => NotebookRunner.RunFileAsync(broken, null, new NotebookRunOptions()));
            Assert.StartsWith(broken + ": invalid JSON at line 1", e.Message);
            Assert.Equal("{\"cells\": [}", File.ReadAllText(broken));

            var good = TestNotebooks.Exercise();
            var path = Path.Combine(dir, "good.ipynb");
            NotebookWriter.Write(good, path);
            var text = File.ReadAllText(path);
            var p = await Assert.ThrowsAsync<NotebookParameterException>(() => NotebookRunner.RunFileAsync(path, null,
                new NotebookRunOptions { Parameters = new Dictionary<string, string> { ["epochs"] = "many" } }));
            Assert.Contains("'many' is not an int", p.Message);
            Assert.Equal(text, File.ReadAllText(path));
            Assert.Equal(2, Directory.GetFiles(dir).Length);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task StaticImagesAddAPngToEveryChart()
    {
        Assert.True(HeadlessChromium.IsAvailable(), "Chromium is a test dependency (scripts/install-deps.sh)");
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Code(
            TestNotebooks.ReferencePlotting + "using Workbench.Plotting;\nPlot.Bar(new[] { \"a\", \"b\" }, new[] { 1, 2 }).WithSize(320, 240)"));
        nb.Cells.Add(NotebookCell.Code("Plot.Heatmap(new double[,] { { 1, 2 }, { 3, 4 } })"));
        var result = await NotebookRunner.ExecuteAsync(nb, Path.GetTempPath(),
            new NotebookRunOptions { StaticImages = true, ChangeCurrentDirectory = false, PlotlyScript = Workbench.Notebooks.Formatting.PlotlyScriptMode.Never });
        Assert.True(result.Succeeded, result.ErrorSummary);
        Assert.All(nb.Cells, c => Assert.DoesNotContain("plotly.js v", c.Outputs.Single()["data"]!["text/html"]!.GetValue<string>()));
        Assert.All(nb.Cells, c => Assert.Contains("class=\"workbench-plotly\"><img alt=\"chart\" src=\"data:image/png;base64,",
            c.Outputs.Single()["data"]!["text/html"]!.GetValue<string>()));
        var sizes = nb.Cells.Select(c =>
        {
            var png = Convert.FromBase64String(c.Outputs.Single()["data"]!["image/png"]!.GetValue<string>());
            return Workbench.Notebooks.Display.Image.FromPng(png).PixelSize;
        }).ToList();
        Assert.Equal((320, 240), sizes[0]);
        Assert.NotNull(sizes[1]);
    }

    [Fact]
    public async Task BrokenChromiumSkipsStaticImagesButTheRunSucceeds()
    {
        var dir = Directory.CreateTempSubdirectory("wb-fake-chromium-");
        try
        {
            // A "browser" that fails at once: the run must still finish and keep its outputs.
            var fake = Path.Combine(dir.FullName, "chromium");
            File.WriteAllText(fake, "#!/bin/sh\necho broken >&2\nexit 3\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            var log = new List<string>();
            var nb = Notebook.CreateCSharp();
            nb.Cells.Add(NotebookCell.Code(TestNotebooks.ReferencePlotting + "Workbench.Plotting.Plot.Line(new[] { 1, 2 })"));
            var result = await NotebookRunner.ExecuteAsync(nb, dir.FullName, new NotebookRunOptions
            {
                StaticImages = true, ChromiumPath = fake, ChangeCurrentDirectory = false, Log = log.Add,
            });
            Assert.True(result.Succeeded, result.ErrorSummary);
            Assert.Null(nb.Cells[0].Outputs.Single()["data"]!["image/png"]);
            Assert.Contains(log, l => l.StartsWith("static images skipped: Chromium exited with code 3", StringComparison.Ordinal));
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public async Task UpdateFromALaterCellRewritesTheEarlierDisplay()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Code("var h = display(\"epoch 0\");"));
        nb.Cells.Add(NotebookCell.Code("h.Update(new Workbench.Notebooks.Display.Markdown(\"**epoch 5**\"));"));
        var result = await NotebookRunner.ExecuteAsync(nb, Path.GetTempPath(), new NotebookRunOptions { ChangeCurrentDirectory = false });
        Assert.True(result.Succeeded, result.ErrorSummary);
        var data = nb.Cells[0].Outputs.Single()["data"]!;
        Assert.Equal("**epoch 5**", data["text/markdown"]!.GetValue<string>());
        Assert.Empty(nb.Cells[1].Outputs);
    }
}

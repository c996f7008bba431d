using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Notebooks.Formatting;
using Workbench.Plotting;

namespace Workbench.Notebooks.Tests.Formatting;

public class PlotTests
{
    private static JsonObject Figure(Plotly.NET.GenericChart chart) => PlotlyView.ToFigure(chart);

    [Fact]
    public void LineAgainstIndexAndStyling()
    {
        var chart = Plot.Line(new[] { 3f, 2f, 1f }, "loss")
            .WithTitle("Training")
            .WithXAxis("epoch")
            .WithYAxis("loss", log: true)
            .WithLegend(false)
            .WithSize(500, 300);
        var f = Figure(chart);
        var trace = f["data"]![0]!;
        Assert.Equal(new[] { 0, 1, 2 }, trace["x"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal("lines", trace["mode"]!.GetValue<string>());
        var layout = f["layout"]!;
        Assert.Equal("Training", layout["title"]!["text"]!.GetValue<string>());
        Assert.Equal("epoch", layout["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("log", layout["yaxis"]!["type"]!.GetValue<string>());
        Assert.False(layout["showlegend"]!.GetValue<bool>());
        Assert.Equal(500, layout["width"]!.GetValue<int>());
    }

    [Fact]
    public void LineColorIsWrittenOnlyWhenGiven()
    {
        var coloured = Figure(Plot.Line(new[] { 1.0, 2.0 }, "gru", color: "crimson"))["data"]![0]!;
        Assert.Equal("crimson", coloured["line"]!["color"]!.GetValue<string>());
        var plain = Figure(Plot.Line(new[] { 1.0, 2.0 }, "gru"))["data"]![0]!;
        Assert.Null(plain["line"]?["color"]);
    }

    [Fact]
    public void ScatterWithLabelsWritesText()
    {
        var trace = Figure(Plot.Scatter(new[] { 0.1, 0.2 }, new[] { 1.0, 2.0 }, new[] { "king", "queen" }))["data"]![0]!;
        Assert.Equal("markers+text", trace["mode"]!.GetValue<string>());
        Assert.Equal("queen", trace["text"]![1]!.GetValue<string>());
    }

    [Fact]
    public void HeatmapOfMatrixKeepsRowsAndLabels()
    {
        var m = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var f = Figure(Plot.Heatmap(m, ["a", "b", "c"], ["r0", "r1"]));
        var trace = f["data"]![0]!;
        Assert.Equal("heatmap", trace["type"]!.GetValue<string>());
        Assert.Equal(6, trace["z"]![1]![2]!.GetValue<double>());
        Assert.Equal("c", trace["x"]![2]!.GetValue<string>());
        Assert.Equal("reversed", f["layout"]!["yaxis"]!["autorange"]!.GetValue<string>());
    }

    [Fact]
    public void HeatmapLabelCountMismatchIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => Plot.Heatmap(new double[2, 3], ["a", "b"]));
        Assert.Contains("2 x labels for 3 columns", e.Message);
        var ragged = Assert.Throws<ArgumentException>(() => Plot.Heatmap(new[] { new[] { 1.0, 2 }, new[] { 1.0 } }));
        Assert.Contains("row 1 has 1 values", ragged.Message);
    }

    [Fact]
    public void GridPlacesChartsOnSeparateAxesWithTitles()
    {
        var f = Figure(Plot.Grid(1, 2, ["left", "right"], Plot.Line(new[] { 1, 2 }), Plot.Bar(new[] { "x" }, new[] { 3 })));
        var data = f["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal("x2", data[1]!["xaxis"]!.GetValue<string>());
        Assert.Equal(2, f["layout"]!["grid"]!["columns"]!.GetValue<int>());
        Assert.Contains("right", f["layout"]!["annotations"]!.ToJsonString());
        Assert.Throws<ArgumentException>(() => Plot.Grid(1, 1, Plot.Line(new[] { 1 }), Plot.Line(new[] { 2 })));
        var styled = Figure(Plot.Grid(1, 2, Plot.Line(new[] { 1, 2 }), Plot.Line(new[] { 3, 4 }))
            .WithYAxis("right loss", log: true, subplot: 2).WithXAxis("epoch", subplot: 2));
        Assert.Equal("right loss", styled["layout"]!["yaxis2"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("log", styled["layout"]!["yaxis2"]!["type"]!.GetValue<string>());
        Assert.Equal("epoch", styled["layout"]!["xaxis2"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void CombineOverlaysTraces()
    {
        var f = Figure(Plot.Combine(Plot.Line(new[] { 1, 2 }, "train"), Plot.Line(new[] { 2, 3 }, "valid")));
        Assert.Equal(new[] { "train", "valid" }, f["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void HistogramWithBins()
    {
        var trace = Figure(Plot.Histogram(new[] { 1.0, 2, 2, 3 }, bins: 3))["data"]![0]!;
        Assert.Equal("histogram", trace["type"]!.GetValue<string>());
        Assert.Equal(3, trace["nbinsx"]!.GetValue<int>());
    }
}

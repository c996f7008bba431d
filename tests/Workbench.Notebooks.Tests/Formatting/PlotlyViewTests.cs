using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workbench.Notebooks.Formatting;
using Workbench.Plotting;

namespace Workbench.Notebooks.Tests.Formatting;

public class PlotlyViewTests
{
    [Fact]
    public void ChartBundleHasFigureObjectHtmlAndText()
    {
        var chart = Plot.Line(new[] { 1.0, 2, 3 }, new[] { 0.9, 0.5, 0.2 }, "train");
        var bundle = new FormatterRegistry().Format(chart);
        var figure = Assert.IsType<JsonObject>(bundle.Data[PlotlyView.MimeType]);
        Assert.NotNull(figure["layout"]);
        var trace = figure["data"]!.AsArray().Single()!;
        Assert.Equal("scatter", trace["type"]!.GetValue<string>());
        Assert.Equal("train", trace["name"]!.GetValue<string>());
        Assert.Equal(0.5, trace["y"]![1]!.GetValue<double>());
        Assert.Equal("Plotly chart (scatter)", bundle.GetText("text/plain"));
    }

    [Fact]
    public void FirstChartCarriesPlotlyJsOnceAndLaterChartsReuseIt()
    {
        var registry = new FormatterRegistry();
        var first = registry.Format(Plot.Bar(new[] { "a", "b" }, new[] { 1, 2 })).GetText("text/html")!;
        var second = registry.Format(Plot.Bar(new[] { "a", "b" }, new[] { 1, 2 })).GetText("text/html")!;
        const string marker = "plotly.js v" + PlotlyView.PlotlyJsVersion;
        Assert.Single(Regex.Matches(first, Regex.Escape(marker)));
        Assert.DoesNotContain(marker, second);
        Assert.True(second.Length < 50_000);
        Assert.Contains("window.__workbenchPlotlyPending", second);
        foreach (var html in new[] { first, second })
            Assert.DoesNotMatch(new Regex("<script[^>]*src\\s*=\\s*[\"']?https?:", RegexOptions.IgnoreCase), html);
        // Same figure, different outputs: ids differ, so two charts on one page do not collide.
        var id = new Regex("<div id=\"([^\"]+)\"");
        Assert.NotEqual(id.Match(first).Groups[1].Value, id.Match(second).Groups[1].Value);
    }

    [Fact]
    public void ScriptModesEveryChartAndNever()
    {
        var every = new FormatterRegistry { PlotlyScript = PlotlyScriptMode.EveryChart };
        var chart = Plot.Line(new[] { 1, 2 });
        Assert.Contains("plotly.js v", every.Format(chart).GetText("text/html"));
        Assert.Contains("plotly.js v", every.Format(chart).GetText("text/html"));
        var never = new FormatterRegistry { PlotlyScript = PlotlyScriptMode.Never };
        Assert.DoesNotContain("plotly.js v", never.Format(chart).GetText("text/html"));
    }

    [Fact]
    public void ScriptEndingTextInsideTheFigureIsEscaped()
    {
        var chart = Plot.Line(new[] { 1, 2 }, "</script><script>alert(1)</script>");
        var html = new FormatterRegistry { PlotlyScript = PlotlyScriptMode.Never }.Format(chart).GetText("text/html")!;
        Assert.DoesNotContain("</script><script>alert", html);
        Assert.Contains("\\u003C/script\\u003E", html);
    }

    [Fact]
    public void EmbeddedPlotlyJsIsTheOfflineCopy()
    {
        Assert.StartsWith("/**\n* plotly.js v2.28.0", PlotlyView.PlotlyJs);
        Assert.True(PlotlyView.PlotlyJs.Length > 3_000_000);
        Assert.StartsWith("<script type=\"text/javascript\">(function(define, module, exports){", PlotlyView.ScriptElement());
    }

    [Fact]
    public void StaticImageGoesInsideTheChartDivAndDrawingReplacesIt()
    {
        var html = new FormatterRegistry { PlotlyScript = PlotlyScriptMode.Never }.Format(Plot.Line(new[] { 1, 2 })).GetText("text/html")!;
        var withImage = PlotlyView.WithStaticImage(html, DisplayTypesTests.OnePixelPng);
        Assert.Matches("<div id=\"plotly-[0-9a-f]{16}-1\" class=\"workbench-plotly\"><img alt=\"chart\" src=\"data:image/png;base64,iVBOR[^\"]+\"></div>", withImage);
        Assert.Contains("el.innerHTML = '';", withImage);
        Assert.Equal(html, Regex.Replace(withImage, "<img alt=\"chart\" [^>]+>", ""));
    }
}

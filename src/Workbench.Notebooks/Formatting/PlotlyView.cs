using Workbench.Notebooks.Mime;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Plotly.NET;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Formatting;

/// <summary>
/// How a Plotly.NET chart is shown without a network: the figure as <c>application/vnd.plotly.v1+json</c> (an object
/// with data, layout, config) for front ends that render Plotly themselves, and <c>text/html</c> that draws it with
/// the plotly.js copy embedded in the Plotly.NET assembly. Only the first chart of a session carries that script
/// (≈ 3.6 MB); later charts queue their drawing until <c>window.Plotly</c> exists, so the order in which a front end
/// renders outputs does not matter as long as the carrying output is rendered at some point.
/// </summary>
public static class PlotlyView
{
    /// <summary>The MIME type of the figure JSON.</summary>
    public const string MimeType = "application/vnd.plotly.v1+json";

    /// <summary>The version of the embedded plotly.js.</summary>
    public const string PlotlyJsVersion = "2.28.0";

    private const string ResourceName = "Plotly.NET.plotly-" + PlotlyJsVersion + ".min.js";

    // Charts drawn before plotly.js arrives wait in this global queue.
    private const string PendingQueue = "window.__workbenchPlotlyPending";

    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The Plotly.NET assembly has no resource {ResourceName}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    /// <summary>The offline plotly.js source (minified, from the Plotly.NET assembly).</summary>
    public static string PlotlyJs => Script.Value;

    /// <summary>The chart's figure: the parsed <c>GenericChart.toJson</c> object (data, layout, config).</summary>
    public static JsonObject ToFigure(GenericChart chart) =>
        JsonNode.Parse(GenericChart.toJson(chart))?.AsObject() ?? throw new InvalidOperationException("Plotly.NET returned empty figure JSON.");

    /// <summary>
    /// A &lt;script&gt; element that defines <c>window.Plotly</c> from the embedded copy, then draws any charts waiting
    /// for it. The UMD wrapper is given no <c>define</c>/<c>module</c>, so it sets the global even on pages with
    /// RequireJS (the classic Jupyter notebook).
    /// </summary>
    public static string ScriptElement() =>
        "<script type=\"text/javascript\">(function(define, module, exports){\n" + PlotlyJs
        + "\n})();\n(" + PendingQueue + " || []).splice(0).forEach(function(draw){ draw(); });</script>";

    /// <summary>
    /// HTML that draws <paramref name="figure"/> into its own &lt;div&gt; (id <paramref name="elementId"/>), with the
    /// plotly.js script first when <paramref name="includeScript"/>; without it the chart waits for <c>window.Plotly</c>.
    /// </summary>
    public static string ChartHtml(JsonNode figure, bool includeScript, string elementId)
    {
        // "</" inside a script element would end it early; "<\/" is the same string to JavaScript.
        var json = figure.ToJsonString().Replace("</", "<\\/", StringComparison.Ordinal);
        var id = System.Net.WebUtility.HtmlEncode(elementId);
        var sb = new StringBuilder();
        if (includeScript) sb.Append(ScriptElement()).Append('\n');
        sb.Append("<div id=\"").Append(id).Append("\" class=\"workbench-plotly\"></div>\n")
          .Append("<script type=\"text/javascript\">(function(){\n")
          .Append("var figure = ").Append(json).Append(";\n")
          // The div may hold a static image (see WithStaticImage) for viewers that run no script: replace it.
          .Append("var draw = function(){ var el = document.getElementById(")
          .Append(JsonValue.Create(elementId)!.ToJsonString())
          .Append("); if (!el) { return; } el.innerHTML = ''; window.Plotly.newPlot(el, figure.data, figure.layout || {}, figure.config || {}); };\n")
          .Append("if (window.Plotly) { draw(); } else { (").Append(PendingQueue).Append(" = ").Append(PendingQueue)
          .Append(" || []).push(draw); }\n")
          .Append("})();</script>");
        return sb.ToString();
    }

    /// <summary>
    /// Puts a PNG rendering of the chart inside the chart's &lt;div&gt; in <paramref name="chartHtml"/> (HTML made by
    /// <see cref="ChartHtml"/>): viewers that strip scripts (GitHub, untrusted notebooks in Jupyter) show the image;
    /// where scripts run, drawing the interactive chart replaces it.
    /// </summary>
    public static string WithStaticImage(string chartHtml, byte[] png)
    {
        const string marker = "class=\"workbench-plotly\"></div>";
        var at = chartHtml.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return chartHtml;
        var image = $"<img alt=\"chart\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">";
        return chartHtml[..(at + marker.Length - "</div>".Length)] + image + chartHtml[(at + marker.Length - "</div>".Length)..];
    }

    /// <summary>A stable element id for a figure: a hash of its JSON (small diffs on re-runs) plus a sequence number.</summary>
    public static string ElementId(JsonNode figure, int sequence)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(figure.ToJsonString()));
        return $"plotly-{Convert.ToHexStringLower(hash, 0, 8)}-{sequence}";
    }

    /// <summary>The chart's MIME bundle: figure JSON, HTML (with plotly.js when <paramref name="includeScript"/>) and a text summary.</summary>
    public static MimeBundle Format(GenericChart chart, bool includeScript, int sequence = 0)
    {
        var figure = ToFigure(chart);
        var traces = figure["data"] is JsonArray data
            ? string.Join(", ", data.Select(t => t?["type"]?.GetValue<string>() ?? "trace"))
            : "";
        return new MimeBundle()
            .AddJson(MimeType, figure)
            .Add("text/html", ChartHtml(figure, includeScript, ElementId(figure, sequence)))
            .Add("text/plain", $"Plotly chart ({traces})");
    }
}

using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workbench.Notebooks.Formatting;

namespace Workbench.Runner.Rendering;

/// <summary>
/// Renders Plotly figures to PNG in one headless Chromium run: a local page with the offline plotly.js draws every
/// figure and writes <c>Plotly.toImage</c>'s data URL into the DOM, which <c>--dump-dom</c> returns.
/// </summary>
public static partial class ChartImageRenderer
{
    /// <summary>Default image size when the figure's layout gives none.</summary>
    public const int DefaultWidth = 700, DefaultHeight = 500;

    /// <summary>
    /// PNG bytes for each figure, in order (null where Plotly failed for that figure). Throws when Chromium is missing
    /// or fails as a whole.
    /// </summary>
    public static async Task<IReadOnlyList<byte[]?>> RenderPngAsync(IReadOnlyList<JsonNode> figures,
        string chromiumPath = HeadlessChromium.DefaultPath, CancellationToken cancellationToken = default)
    {
        if (figures.Count == 0) return [];
        var folder = Directory.CreateTempSubdirectory("workbench-charts-");
        try
        {
            var page = Path.Combine(folder.FullName, "charts.html");
            await File.WriteAllTextAsync(page, Page(figures), cancellationToken).ConfigureAwait(false);
            var budget = TimeSpan.FromSeconds(10 + 2 * figures.Count);
            var dom = await HeadlessChromium.DumpDomAsync(page, budget, budget + TimeSpan.FromSeconds(60), chromiumPath, cancellationToken)
                .ConfigureAwait(false);
            var images = new byte[]?[figures.Count];
            foreach (Match m in PngElement().Matches(dom))
            {
                var i = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (i >= 0 && i < images.Length) images[i] = Convert.FromBase64String(m.Groups[2].Value);
            }
            return images;
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static string Page(IReadOnlyList<JsonNode> figures)
    {
        var json = new JsonArray(figures.Select(f => f.DeepClone()).ToArray()).ToJsonString();
        var sb = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\">");
        sb.Append(PlotlyView.ScriptElement()).Append("</head><body>\n<script>\n");
        sb.Append("var figures = ").Append(json.Replace("</", "<\\/", StringComparison.Ordinal)).Append(";\n");
        sb.Append($$"""
            function report(id, text) { var pre = document.createElement('pre'); pre.id = id; pre.textContent = text; document.body.appendChild(pre); }
            Promise.all(figures.map(function (f, i) {
              var div = document.createElement('div');
              document.body.appendChild(div);
              var layout = f.layout || {};
              var w = layout.width || {{DefaultWidth}}, h = layout.height || {{DefaultHeight}};
              return Plotly.newPlot(div, f.data, layout, { staticPlot: true })
                .then(function (gd) { return Plotly.toImage(gd, { format: 'png', width: w, height: h }); })
                .then(function (url) { report('png-' + i, url); Plotly.purge(div); div.remove(); })
                .catch(function (e) { report('error-' + i, String(e)); });
            })).then(function () { report('done', ''); });
            </script></body></html>
            """);
        return sb.ToString();
    }

    [GeneratedRegex("<pre id=\"png-(\\d+)\">data:image/png;base64,([A-Za-z0-9+/=]+)</pre>")]
    private static partial Regex PngElement();
}

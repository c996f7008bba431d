using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using Workbench.Notebooks.Formatting;
using Workbench.Runner.Nbformat;

namespace Workbench.Runner.Export;

/// <summary>
/// Exports a notebook as one standalone HTML file that reads fully offline: Markdown rendered with Markdig (pipe
/// tables, math), math typeset by the embedded KaTeX (fonts inlined), code cells, and every output (text, HTML,
/// images, Markdown, LaTeX, errors); Plotly charts stay interactive with plotly.js inlined once; Mermaid diagrams are
/// drawn by an inlined mermaid.js; HTML and JavaScript outputs (#!html, #!javascript) go into the page as they are.
/// </summary>
public static partial class HtmlExporter
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .Build();

    /// <summary>The MIME type of Mermaid diagram source (JupyterLab renders it natively).</summary>
    public const string MermaidMimeType = "text/vnd.mermaid";

    private const string PageStyle = """
        body { margin: 0; background: #fff; color: #1f2328; font: 15px/1.55 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
        main.notebook { max-width: 1000px; margin: 0 auto; padding: 24px 16px 64px; }
        .cell { margin: 14px 0; }
        .prompt .kernel { background: #eaeef2; border-radius: 4px; padding: 0 5px; }
        pre.mermaid { background: none; text-align: center; }
        .widget { display: flex; align-items: center; gap: 8px; margin: 4px 0; }
        .widget label { min-width: 80px; color: #57606a; }
        .widget .readout { font: 13px ui-monospace, Menlo, Consolas, monospace; }
        .prompt { color: #57606a; font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; margin-bottom: 2px; }
        pre { margin: 0; padding: 8px 10px; overflow-x: auto; font: 13px/1.45 ui-monospace, Menlo, Consolas, monospace; white-space: pre; }
        pre.source { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; }
        .outputs { margin-top: 6px; }
        .output { margin: 4px 0; overflow-x: auto; }
        pre.stream.stderr { background: #fff8e6; }
        pre.error { background: #ffebe9; color: #82071e; border-radius: 6px; }
        table { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
        th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: right; }
        thead th { background: #f6f8fa; }
        .markdown table th, .markdown table td { text-align: left; }
        img { max-width: 100%; }
        .math-display { overflow-x: auto; }
        pre.source .k { color: #cf222e; } pre.source .s { color: #0a3069; } pre.source .c { color: #6e7781; font-style: italic; }
        pre.source .n { color: #0550ae; } pre.source .d { color: #8250df; }
        """;

    /// <summary>Reads <paramref name="notebookPath"/> and writes the page atomically to <paramref name="outputPath"/> (default: same name, .html); returns that path.</summary>
    public static string ExportFile(string notebookPath, string? outputPath = null, HtmlExportOptions? options = null)
    {
        var notebook = Files.NotebookFile.Read(notebookPath);
        var target = outputPath ?? Path.ChangeExtension(notebookPath, ".html");
        var title = options?.Title ?? FirstHeading(notebook) ?? Path.GetFileNameWithoutExtension(notebookPath);
        NotebookWriter.WriteAllTextAtomic(target, Export(notebook, (options ?? new HtmlExportOptions()) with { Title = title }));
        return target;
    }

    /// <summary>The standalone HTML page for <paramref name="notebook"/>.</summary>
    public static string Export(Notebook notebook, HtmlExportOptions? options = null)
    {
        options ??= new HtmlExportOptions();
        var title = options.Title ?? FirstHeading(notebook) ?? "Notebook";
        var widgets = Widgets.WidgetStateMetadata.Models(notebook);
        // Charts may also sit in an Output widget's saved outputs.
        var hasCharts = notebook.Cells.SelectMany(c => c.Outputs)
            .Concat(widgets.Values.SelectMany(m => m["state"]?["outputs"] as JsonArray ?? []).OfType<JsonObject>())
            .Any(o => o["data"] is JsonObject d && d[PlotlyView.MimeType] is JsonObject);

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"generator\" content=\"workbench notebook export\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n")
            .Append("<style>").Append(KatexAssets.Style).Append("</style>\n")
            .Append("<style>\n").Append(PageStyle).Append("</style>\n")
            .Append(GlobalScript(KatexAssets.Script)).Append('\n')
            .Append(GlobalScript(KatexAssets.AutoRender)).Append('\n');
        if (hasCharts) html.Append(PlotlyView.ScriptElement()).Append('\n');

        var body = new StringBuilder();
        var context = new RenderContext(new WidgetHtml(widgets));
        foreach (var cell in notebook.Cells)
        {
            switch (cell.CellType)
            {
                case "markdown":
                    body.Append("<div class=\"cell markdown\">\n").Append(RenderMarkdown(cell.Source, cell.Attachments)).Append("</div>\n");
                    break;
                case "raw":
                    if (Text(cell.Metadata["format"]) is "text/html")
                        body.Append("<div class=\"cell raw\">").Append(cell.Source).Append("</div>\n");
                    break;
                case "code":
                    body.Append("<div class=\"cell code\">\n");
                    if (options.IncludeCode)
                    {
                        // Cells in other languages (Polyglot metadata) are named in the prompt and not highlighted as C#.
                        var kernel = Polyglot.PolyglotMetadata.EffectiveKernelName(notebook, cell) ?? "csharp";
                        var isCSharp = kernel is "csharp" or "c#" or "C#" or "cs";
                        body.Append("<div class=\"prompt\">In [").Append(cell.ExecutionCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? " ")
                            .Append("]:").Append(isCSharp ? "" : $" <span class=\"kernel\">{Encode(kernel)}</span>")
                            .Append("</div>\n<pre class=\"source\"><code class=\"language-").Append(isCSharp ? "csharp" : Encode(kernel)).Append("\">")
                            .Append(isCSharp ? CSharpHighlighter.Highlight(cell.Source) : Encode(cell.Source)).Append("</code></pre>\n");
                    }
                    if (cell.Outputs.Count > 0)
                    {
                        body.Append("<div class=\"outputs\">\n");
                        foreach (var output in cell.Outputs) body.Append(RenderOutput(output, context)).Append('\n');
                        body.Append("</div>\n");
                    }
                    body.Append("</div>\n");
                    break;
            }
        }

        // Mermaid (3.6 MB) goes only into pages that draw a diagram: #!mermaid outputs and ```mermaid blocks in Markdown.
        var hasDiagrams = body.ToString().Contains("class=\"mermaid\"", StringComparison.Ordinal);
        if (hasDiagrams) html.Append("<script>").Append(MermaidAssets.Script).Append("</script>\n");
        html.Append("</head>\n<body>\n<main class=\"notebook\">\n").Append(body);
        html.Append("</main>\n<script>\n").Append(MathBootstrap).Append(hasDiagrams ? MermaidAssets.Bootstrap : "").Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    // Typesets Markdig's math spans (\( \) and \[ \]) and LaTeX outputs ($…$, $$…$$) with KaTeX; bad TeX shows in red.
    private const string MathBootstrap = """
        (function () {
          if (typeof renderMathInElement !== 'function') return;
          var options = {
            delimiters: [
              { left: '$$', right: '$$', display: true },
              { left: '\\[', right: '\\]', display: true },
              { left: '\\(', right: '\\)', display: false },
              { left: '$', right: '$', display: false },
              { left: '\\begin{equation}', right: '\\end{equation}', display: true },
              { left: '\\begin{align}', right: '\\end{align}', display: true },
              { left: '\\begin{aligned}', right: '\\end{aligned}', display: true }
            ],
            ignoredTags: ['script', 'noscript', 'style', 'textarea', 'pre', 'code'],
            throwOnError: false
          };
          document.querySelectorAll('.math, .latex-output').forEach(function (el) { renderMathInElement(el, options); });
        })();

        """;

    private static string RenderOutput(JsonObject output, RenderContext context)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                var name = output["name"]?.GetValue<string>() ?? "stdout";
                return $"<pre class=\"output stream {Encode(name)}\">{Encode(StripAnsi(Text(output["text"]) ?? ""))}</pre>";
            case "error":
                var lines = output["traceback"] is JsonArray tb ? tb.Select(t => t?.GetValue<string>() ?? "") : [];
                var head = $"{output["ename"]?.GetValue<string>()}: {output["evalue"]?.GetValue<string>()}";
                var body = string.Join("\n", lines.Select(StripAnsi));
                if (!body.StartsWith(head, StringComparison.Ordinal)) body = head + (body.Length > 0 ? "\n" + body : "");
                return $"<pre class=\"output error\">{Encode(body)}</pre>";
            case "display_data" or "execute_result":
                var data = output["data"] as JsonObject ?? new JsonObject();
                var metadata = output["metadata"] as JsonObject;
                return "<div class=\"output\">" + RenderBundle(data, metadata, context) + "</div>";
            default:
                return "";
        }
    }

    private static string RenderBundle(JsonObject data, JsonObject? metadata, RenderContext context)
    {
        // A widget is drawn from the notebook's saved widget state, as it last was; without that state, its text/plain.
        if (data[WidgetHtml.ViewMimeType] is JsonObject view && context.Widgets.Render(view, o => RenderOutput(o, context)) is { } widget)
            return widget;
        if (data[PlotlyView.MimeType] is JsonObject figure)
            return PlotlyView.ChartHtml(figure, includeScript: false, elementId: $"chart-{++context.Chart}");
        // The diagram's source: drawn by the inlined Mermaid (its text/html would load Mermaid from the network).
        if (Text(data[MermaidMimeType]) is { } diagram) return $"<pre class=\"mermaid\">{Encode(diagram)}</pre>";
        if (Text(data["text/html"]) is { } html) return html;
        if (Text(data["image/svg+xml"]) is { } svg)
            return $"<img alt=\"SVG image\" src=\"data:image/svg+xml;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes(svg))}\">";
        foreach (var mime in new[] { "image/png", "image/jpeg", "image/gif" })
        {
            if (Text(data[mime]) is not { } b64) continue;
            var size = metadata?[mime] as JsonObject;
            var attrs = "";
            if (size?["width"] is JsonValue w) attrs += $" width=\"{Encode(w.ToJsonString())}\"";
            if (size?["height"] is JsonValue h) attrs += $" height=\"{Encode(h.ToJsonString())}\"";
            return $"<img alt=\"output image\"{attrs} src=\"data:{mime};base64,{b64.Replace("\n", "", StringComparison.Ordinal)}\">";
        }
        // A script-only bundle (IPython's Javascript, front ends' application/javascript) runs in the page, as in Jupyter.
        if (Text(data["application/javascript"]) is { } script)
            return "<script>\n" + script.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) + "\n</script>";
        if (Text(data["text/markdown"]) is { } md) return "<div class=\"markdown\">" + RenderMarkdown(md, null) + "</div>";
        if (Text(data["text/latex"]) is { } latex) return $"<div class=\"latex-output math-display\">{Encode(latex)}</div>";
        if (data["application/json"] is { } json) return $"<pre>{Encode(json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }))}</pre>";
        if (Text(data["text/plain"]) is { } plain) return $"<pre>{Encode(StripAnsi(plain))}</pre>";
        return "";
    }

    // What rendering one page carries from output to output: the chart number (element ids) and the widget state.
    private sealed class RenderContext(WidgetHtml widgets)
    {
        public int Chart;
        public WidgetHtml Widgets { get; } = widgets;
    }

    private static string RenderMarkdown(string source, JsonObject? attachments)
    {
        var writer = new StringWriter();
        var renderer = new Markdig.Renderers.HtmlRenderer(writer);
        Markdown.Setup(renderer);
        renderer.ObjectRenderers.Replace<Markdig.Extensions.Mathematics.HtmlMathInlineRenderer>(new DisplayMathInlineRenderer());
        renderer.Render(Markdig.Markdown.Parse(source, Markdown));
        writer.Flush();
        var html = writer.ToString();
        if (attachments is null) return html;
        // Images pasted into Markdown cells are stored in the cell as attachments: inline them.
        return AttachmentSource().Replace(html, m =>
        {
            var name = WebUtility.HtmlDecode(m.Groups[2].Value);
            if (attachments[name] is not JsonObject bundle) return m.Value;
            foreach (var (mime, value) in bundle)
                if (Text(value) is { } b64 && mime.StartsWith("image/", StringComparison.Ordinal))
                    return $"{m.Groups[1].Value}data:{mime};base64,{b64.Replace("\n", "", StringComparison.Ordinal)}\"";
            return m.Value;
        });
    }

    private static string? FirstHeading(Notebook notebook)
    {
        foreach (var cell in notebook.Cells.Where(c => c.CellType == "markdown"))
            foreach (var line in cell.Source.Split('\n'))
                if (line.StartsWith("# ", StringComparison.Ordinal)) return line[2..].Trim();
        return null;
    }

    /// <summary>A &lt;script&gt; for a UMD bundle, with define/module/exports hidden so it sets its browser global.</summary>
    private static string GlobalScript(string source) =>
        "<script>(function(define, module, exports){\n" + source + "\n})();</script>";

    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray a => NotebookReader.MultilineText(a),
        _ => null,
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string StripAnsi(string text) => AnsiEscape().Replace(text, "");

    [GeneratedRegex("\u001b\\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex("(src=\")attachment:([^\"]+)\"")]
    private static partial Regex AttachmentSource();
}

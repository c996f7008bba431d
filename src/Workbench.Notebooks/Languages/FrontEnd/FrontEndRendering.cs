using System.Net;
using Markdig;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Languages.FrontEnd;

/// <summary>The display bundle of each front-end language's cell.</summary>
internal static class FrontEndRendering
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public static MimeBundle Markdown(string text) =>
        new MimeBundle().Add("text/html", Markdig.Markdown.ToHtml(text, Pipeline)).Add("text/markdown", text);

    public static MimeBundle Html(string text) => new MimeBundle().Add("text/html", text);

    public static MimeBundle JavaScript(string text) =>
        new MimeBundle().Add("text/html", $"<script type=\"text/javascript\">\n{text}\n</script>").Add("application/javascript", text);

    /// <summary>The Mermaid version the HTML of a diagram loads when the page has no <c>window.mermaid</c>.</summary>
    public const string MermaidVersion = "11.17.2";

    // text/vnd.mermaid is the diagram source, which JupyterLab (4.1+) draws itself and the exporter draws with its
    // inlined mermaid.js. text/html is for VS Code and other front ends (JupyterLab too, as it ranks HTML first): like
    // .NET Interactive's own #!mermaid output it draws with Mermaid from the page (window.mermaid) or from jsDelivr;
    // where no script runs, or offline, the source stays readable in the <pre>.
    public static MimeBundle Mermaid(string text)
    {
        var id = "mermaid-" + Guid.NewGuid().ToString("N")[..16];
        var html = $$"""
            <div id="{{id}}" class="workbench-mermaid"><pre class="mermaid-source">{{WebUtility.HtmlEncode(text)}}</pre></div>
            <script type="module">
            const host = document.getElementById('{{id}}');
            const source = host?.querySelector('pre.mermaid-source')?.textContent;
            if (source) {
              try {
                const mermaid = window.mermaid ?? (await import('https://cdn.jsdelivr.net/npm/mermaid@{{MermaidVersion}}/dist/mermaid.esm.min.mjs')).default;
                const { svg, bindFunctions } = await mermaid.render('{{id}}-svg', source);
                host.innerHTML = svg;
                bindFunctions?.(host);
              } catch (e) { console.log(e); }
            }
            </script>
            """;
        return new MimeBundle().Add("text/html", html).Add("text/vnd.mermaid", text).Add("text/plain", text);
    }
}

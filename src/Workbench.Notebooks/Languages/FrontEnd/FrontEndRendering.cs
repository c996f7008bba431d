using Workbench.Notebooks.Mime;
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

    // Rendered by mermaid.js in the front end; the text stays readable where no script runs.
    public static MimeBundle Mermaid(string text) =>
        new MimeBundle().Add("text/html", $"<pre class=\"mermaid\">\n{WebUtility.HtmlEncode(text)}\n</pre>").Add("text/plain", text);
}

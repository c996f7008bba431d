using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Workbench.Runner.Export;

/// <summary>
/// Renders Markdig's inline math keeping Jupyter's meaning: <c>$$…$$</c> inside a paragraph is display math (as
/// MathJax shows it in Jupyter), <c>$…$</c> inline. Markdig's own renderer makes both inline.
/// </summary>
internal sealed class DisplayMathInlineRenderer : HtmlObjectRenderer<MathInline>
{
    protected override void Write(HtmlRenderer renderer, MathInline obj)
    {
        var display = obj.DelimiterCount >= 2;
        renderer.Write(display ? "<span class=\"math math-display\">\\[" : "<span class=\"math\">\\(");
        renderer.WriteEscape(ref obj.Content);
        renderer.Write(display ? "\\]</span>" : "\\)</span>");
    }
}

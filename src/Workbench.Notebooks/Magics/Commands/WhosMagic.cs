using System.Net;
using System.Text;
using Microsoft.DotNet.Interactive.Formatting;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Magics.Commands;

/// <summary><c>#!whos</c>: a table of the variables of the kernel the magic stands in (name, type, value).</summary>
/// <remarks>
/// Values that live in this process are written as .NET Interactive writes them (full type names such as
/// <c>System.Collections.Generic.List&lt;System.Int32&gt;</c>, plain-text values such as <c>[ 1, 2, 3 ]</c>); values of
/// kernels in other processes as those kernels describe them.
/// </remarks>
internal sealed class WhosMagic : MagicCommand
{
    public override string Name => "whos";

    public override string Summary => "Display the names of the current top-level variables and their values.";

    public override string Usage => "Usage: #!whos\n  lists the variables of this cell part's kernel with their types and values";

    public override async Task RunAsync(MagicContext context)
    {
        context.Line.CheckOptions(Array.Empty<string>(), Array.Empty<string>());
        var variables = await context.Kernel.GetVariablesAsync(context.Cancellation).ConfigureAwait(false);
        var rows = new List<string[]> { new[] { "Variable", "Type", "Value" } };
        foreach (var v in variables)
        {
            var value = await context.Kernel.GetValueAsync(v.Name, context.Cancellation).ConfigureAwait(false);
            if (value?.Object is { } obj)
                rows.Add(new[] { v.Name, obj.GetType().ToDisplayString(PlainTextFormatter.MimeType), OneLine(obj.ToDisplayString(PlainTextFormatter.MimeType)) });
            else
                rows.Add(new[] { v.Name, v.TypeName, v.Value });
        }
        var html = new StringBuilder("<table><thead><tr><th>Variable</th><th>Type</th><th>Value</th></tr></thead><tbody>");
        foreach (var r in rows.Skip(1))
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(r[0])).Append("</td><td>").Append(WebUtility.HtmlEncode(r[1]))
                .Append("</td><td><div class=\"dni-plaintext\"><pre>").Append(WebUtility.HtmlEncode(r[2])).Append("</pre></div></td></tr>");
        html.Append("</tbody></table>");
        context.Session.Display(new MimeBundle()
            .Add("text/html", html.ToString())
            .Add("text/plain", string.Join("\n", HtmlText.AlignColumns(rows, rightAlign: false).Split('\n').Select(l => l.TrimEnd()))), Guid.NewGuid().ToString());
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}

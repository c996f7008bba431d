using System.Net;
using Microsoft.DotNet.Interactive.Formatting;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Magics.Commands;

/// <summary><c>#!who</c>: the names of the variables of the kernel the magic stands in.</summary>
internal sealed class WhoMagic : MagicCommand
{
    public override string Name => "who";

    public override string Summary => "Display the names of the current top-level variables.";

    public override string Usage => "Usage: #!who\n  lists the variables of this cell part's kernel (#!whos adds types and values)";

    public override async Task RunAsync(MagicContext context)
    {
        context.Line.CheckOptions(Array.Empty<string>(), Array.Empty<string>());
        var variables = await context.Kernel.GetVariablesAsync(context.Cancellation).ConfigureAwait(false);
        // .NET Interactive shows the names ("name\t ") as a formatted list: "[ x\t , s\t  ]".
        var text = variables.Select(v => v.Name + "\t ").ToList().ToDisplayString(PlainTextFormatter.MimeType);
        context.Session.Display(new MimeBundle()
            .Add("text/html", $"<div><div class=\"dni-plaintext\"><pre>{WebUtility.HtmlEncode(text)}</pre></div></div>")
            .Add("text/plain", text), Guid.NewGuid().ToString());
    }
}

using System.Net;
using System.Text;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Magics.Commands;

/// <summary><c>#!lsmagic</c>: every magic command, directive and kernel selector of the session, with a line of help each.</summary>
internal sealed class LsMagic : MagicCommand
{
    // Directives of C# cells (resolved by the C# kernel, not magics), as .NET Interactive lists them.
    private static readonly (string Name, string Summary)[] Directives =
    {
        ("#i", "Include a NuGet package source or search path for referenced assemblies"),
        ("#r", "Add a NuGet package reference using #r \"nuget:<package>[,<version>]\" or reference an assembly using #r \"<path to assembly>\""),
        ("#:package", "Add a NuGet package reference: #:package Name@Version"),
        ("#:project", "Reference a project (built when out of date): #:project path/to/X.csproj"),
    };

    public override string Name => "lsmagic";

    public override string Summary => "List the available magic commands / directives";

    public override string Usage => "Usage: #!lsmagic\n  lists the magic commands, the C# directives and the kernels a cell can switch to";

    public override Task RunAsync(MagicContext context)
    {
        context.Line.CheckOptions(Array.Empty<string>(), Array.Empty<string>());
        var sections = new List<(string Title, List<(string Name, string Summary)> Rows)>
        {
            ("Magic commands", context.Session.Magics.OrderBy(m => m.Name, StringComparer.Ordinal)
                .Select(m => ("#!" + m.Name + string.Concat(m.Aliases.Select(a => ", #!" + a)), m.Summary)).ToList()),
            ("Kernels", context.Session.KernelInfos
                .Select(k => ("#!" + k.Name + string.Concat(k.Aliases.Select(a => ", #!" + a)), k.Description)).ToList()),
            ("C# directives", Directives.ToList()),
        };
        var text = new StringBuilder();
        var html = new StringBuilder("<div>");
        foreach (var (title, rows) in sections)
        {
            if (text.Length > 0) text.Append("\n\n");
            text.Append(title).Append(":\n");
            var width = rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length);
            text.AppendJoin('\n', rows.Select(r => "  " + r.Name.PadRight(width) + "  " + r.Summary));
            html.Append("<h3>").Append(WebUtility.HtmlEncode(title)).Append("</h3><dl>");
            foreach (var (name, summary) in rows)
                html.Append("<dt><code>").Append(WebUtility.HtmlEncode(name)).Append("</code></dt><dd>").Append(WebUtility.HtmlEncode(summary)).Append("</dd>");
            html.Append("</dl>");
        }
        html.Append("</div>");
        context.Session.Display(new MimeBundle().Add("text/html", html.ToString()).Add("text/plain", text.ToString()), Guid.NewGuid().ToString());
        return Task.CompletedTask;
    }
}

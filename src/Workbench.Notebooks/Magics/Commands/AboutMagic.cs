using System.Net;
using System.Reflection;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Magics.Commands;

/// <summary><c>#!about</c>: what runs the notebook (engine version, .NET, Roslyn and the .NET Interactive formatting library).</summary>
internal sealed class AboutMagic : MagicCommand
{
    public override string Name => "about";

    public override string Summary => "Show version and build information";

    public override string Usage => "Usage: #!about\n  shows the versions of the notebook engine, .NET and the libraries cells run with";

    public override Task RunAsync(MagicContext context)
    {
        context.Line.CheckOptions(Array.Empty<string>(), Array.Empty<string>());
        var lines = new[]
        {
            "Workbench notebook engine",
            $"Version: {Version(typeof(AboutMagic).Assembly)}",
            $".NET: {Environment.Version}",
            $"Roslyn: {Version(typeof(Microsoft.CodeAnalysis.Compilation).Assembly)}",
            $"Microsoft.DotNet.Interactive.Formatting: {Version(typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly)}",
            $"Kernels: {string.Join(", ", context.Session.KernelInfos.Select(k => k.Name))}",
        };
        var html = "<table><tbody>" + string.Concat(lines.Select(l => $"<tr><td>{WebUtility.HtmlEncode(l)}</td></tr>")) + "</tbody></table>";
        context.Session.Display(new MimeBundle().Add("text/html", html).Add("text/plain", string.Join("\n", lines)), Guid.NewGuid().ToString());
        return Task.CompletedTask;
    }

    private static string Version(Assembly assembly) =>
        (assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "?").Split('+')[0];
}

using System.Reflection;
using System.Text;

namespace Workbench.Runner.Export;

/// <summary>
/// Mermaid 11.17.2 (MIT), embedded in this assembly: the single-file build that sets <c>window.mermaid</c>, inlined
/// into exported pages that have a diagram so they draw it with no network.
/// </summary>
internal static class MermaidAssets
{
    public const string Version = "11.17.2";

    private static readonly Lazy<string> ScriptText = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("mermaid/mermaid.min.js")
            ?? throw new InvalidOperationException("missing embedded resource mermaid/mermaid.min.js");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    /// <summary>dist/mermaid.min.js.</summary>
    public static string Script => ScriptText.Value;

    /// <summary>Draws every <c>.mermaid</c> element of the page (diagram outputs and ```mermaid blocks in Markdown); a diagram with errors shows Mermaid's error instead.</summary>
    public const string Bootstrap = """
        (function () {
          if (!window.mermaid) return;
          window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
          window.mermaid.run({ querySelector: '.mermaid' }).catch(function (e) { console.error(e); });
        })();

        """;
}

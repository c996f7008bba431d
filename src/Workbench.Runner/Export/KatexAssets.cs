using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Workbench.Runner.Export;

/// <summary>
/// KaTeX 0.19.1 (MIT), embedded in this assembly: the script, the auto-render extension and the stylesheet with its
/// woff2 fonts turned into data URIs, so exported pages render math with no network.
/// </summary>
internal static partial class KatexAssets
{
    public const string Version = "0.19.1";

    private static readonly Lazy<string> StyleText = new(BuildStyle);
    private static readonly Lazy<string> ScriptText = new(() => ReadText("katex/katex.min.js"));
    private static readonly Lazy<string> AutoRenderText = new(() => ReadText("katex/auto-render.min.js"));

    /// <summary>katex.min.css with every font as an inline woff2 data URI.</summary>
    public static string Style => StyleText.Value;

    /// <summary>katex.min.js.</summary>
    public static string Script => ScriptText.Value;

    /// <summary>contrib/auto-render.min.js (defines renderMathInElement).</summary>
    public static string AutoRender => AutoRenderText.Value;

    private static string BuildStyle()
    {
        var css = ReadText("katex/katex.min.css");
        // Every browser that runs KaTeX reads woff2: keep that source only, inlined.
        return FontSource().Replace(css, m =>
            $"src:url(data:font/woff2;base64,{Convert.ToBase64String(ReadBytes($"katex/fonts/{m.Groups[1].Value}.woff2"))}) format(\"woff2\")");
    }

    private static string ReadText(string name) => Encoding.UTF8.GetString(ReadBytes(name));

    private static byte[] ReadBytes(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"missing embedded resource {name}");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    [GeneratedRegex("src:url\\(fonts/([A-Za-z0-9_-]+)\\.woff2\\) format\\(\"woff2\"\\)[^;}]*")]
    private static partial Regex FontSource();
}

using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workbench.Kernel.Tests.Oracle;

/// <summary>
/// Turns what a kernel sent for one cell into comparable lines "kind: text", kind being stdout, stderr,
/// execute_result, display_data, error or input_request. What legitimately differs between the two kernels is
/// normalised, and nothing else:
/// <list type="bullet">
/// <item>the official kernel's first output, an HTML script that probes for its HTTP API, is dropped, and so is its
/// HTML summary of package sources and installed packages after #i and #r "nuget:";</item>
/// <item>values are compared by their text/plain; the official kernel sends most results as HTML only, so its text is
/// read back from the HTML of its plain-text formatter (&lt;div class="dni-plaintext"&gt;&lt;pre&gt;…) or from the
/// summary line of its tree view, unescaped, without the style sheet it appends; a cell may name another MIME type
/// to compare (metadata oracle.mime);</item>
/// <item>compilation errors: the official kernel writes the diagnostics to stderr and then reports an error
/// "compilation error", ours reports CompilationError with the diagnostics; both become "error: " + the diagnostic
/// lines;</item>
/// <item>exceptions: "error: ShortTypeName: message", without stack traces (the official kernel puts the type and
/// the trace in evalue);</item>
/// <item>timings ("Wall time: 12.3ms" → "Wall time: &lt;t&gt;"), GUIDs, line endings and trailing blanks;</item>
/// <item>oracle.normalize = "names": only the identifiers of the text, in order (#!who).</item>
/// </list>
/// </summary>
internal static partial class OutputNormalizer
{
    public static List<string> Normalize(JsonArray outputs, string? mime = null, string? mode = null)
    {
        var lines = new List<string>();
        var list = outputs.Select(o => o!.AsObject()).ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var o = list[i];
            var type = (string)o["type"]!;
            switch (type)
            {
                case "stream":
                    var next = i + 1 < list.Count ? list[i + 1] : null;
                    if ((string?)o["name"] == "stderr" && next is not null && (string?)next["type"] == "error" && (string?)next["evalue"] == "compilation error")
                    {
                        lines.Add("error: " + Clean(Diagnostics((string)o["text"]!)));
                        i++;
                        break;
                    }
                    lines.Add($"{o["name"]}: {Clean((string)o["text"]!)}");
                    break;
                case "execute_result" or "display_data":
                    var data = o["data"]!.AsObject();
                    if (data["text/html"] is { } html && IsOfficialReport((string)html!)) break;
                    var text = Text(data, mime);
                    lines.Add($"{type}: {Clean(mode == "names" ? Names(text) : text)}");
                    break;
                case "error":
                    lines.Add("error: " + Clean(Error((string)o["ename"]!, (string)o["evalue"]!)));
                    break;
                case "input_request":
                    lines.Add($"input_request: {o["prompt"]}");
                    break;
                default:
                    lines.Add($"{type}: {o.ToJsonString()}");
                    break;
            }
        }
        return lines;
    }

    // The official kernel's script that probes for its HTTP API, and its "Restore sources / Installed Packages"
    // summary after #i and #r "nuget:" (ours reports restores only when they fail).
    private static bool IsOfficialReport(string html) =>
        html.Contains("dotnet-interactive-this-cell", StringComparison.Ordinal)
        || html.StartsWith("<div><div><strong>Restore sources</strong>", StringComparison.Ordinal)
        || html.StartsWith("<div><div></div><div></div><div><strong>Installed Packages</strong>", StringComparison.Ordinal);

    private static string Text(JsonObject data, string? mime)
    {
        if (mime is not null) return data[mime] is { } wanted ? (string)wanted! : $"(no {mime} in {string.Join(", ", data.Select(p => p.Key))})";
        if (data["text/plain"] is { } plain) return (string)plain!;
        if (data["text/html"] is { } node)
        {
            var html = StyleSheet().Replace((string)node!, "");
            var pre = PlainText().Match(html);
            if (pre.Success) return WebUtility.HtmlDecode(pre.Groups[1].Value);
            var summary = TreeSummary().Match(html);
            if (summary.Success) return WebUtility.HtmlDecode(summary.Groups[1].Value);
            return "html " + html;
        }
        return string.Join(", ", data.Select(p => p.Key));
    }

    // "(1,9): error CS0029: ..." lines, as both kernels print them; anything else (blank lines) is dropped.
    private static string Diagnostics(string text) =>
        string.Join("\n", text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    private static string Error(string ename, string evalue)
    {
        var thrown = ThrownException().Match(evalue);
        if (ename == "Error" && thrown.Success) return $"{ShortName(thrown.Groups[1].Value)}: {thrown.Groups[2].Value}";
        if (ename is "Error" or "CompilationError") return evalue;
        return $"{ShortName(ename)}: {evalue}";
    }

    private static string ShortName(string type) => type[(type.LastIndexOf('.') + 1)..];

    private static string Names(string text) => string.Join(", ", Identifier().Matches(text).Select(m => m.Value));

    private static string Clean(string text)
    {
        text = text.Replace("\r\n", "\n");
        text = WallTime().Replace(text, "Wall time: <t>");
        text = Guid().Replace(text, "<guid>");
        return string.Join("\n", text.Split('\n').Select(l => l.TrimEnd())).TrimEnd('\n');
    }

    [GeneratedRegex(@"<style>.*?</style>", RegexOptions.Singleline)]
    private static partial Regex StyleSheet();

    [GeneratedRegex(@"^(?:<div>)*<div class=""dni-plaintext""><pre>(.*?)</pre></div>(?:</div>)*\s*$", RegexOptions.Singleline)]
    private static partial Regex PlainText();

    [GeneratedRegex(@"^<details[^>]*><summary><span class=""dni-code-hint""><code>(.*?)</code></span></summary>", RegexOptions.Singleline)]
    private static partial Regex TreeSummary();

    [GeneratedRegex(@"^([\w.`]+(?:Exception|Error)): ([^\n]*)")]
    private static partial Regex ThrownException();

    [GeneratedRegex(@"Wall time: [0-9.,]+ ?(?:ms|s|µs)")]
    private static partial Regex WallTime();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"[A-Za-z_]\w*")]
    private static partial Regex Identifier();
}

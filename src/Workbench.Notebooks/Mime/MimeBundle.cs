using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Mime;

/// <summary>
/// One displayable value as Jupyter sees it: a map from MIME type to representation, plus metadata.
/// Text types hold JSON strings; JSON types (application/json, application/vnd.plotly.v1+json) hold JSON objects;
/// images hold base64 strings (PNG) or markup (SVG). This is the shape of both the wire message and nbformat.
/// </summary>
public sealed class MimeBundle
{
    /// <summary>MIME type → representation.</summary>
    public Dictionary<string, JsonNode> Data { get; } = new(StringComparer.Ordinal);

    /// <summary>Per-output metadata (e.g. image sizes).</summary>
    public JsonObject Metadata { get; } = new();

    /// <summary>Adds a text representation (text/plain, text/html, text/markdown, text/latex, image/svg+xml, base64 image/png).</summary>
    public MimeBundle Add(string mimeType, string text)
    {
        Data[mimeType] = JsonValue.Create(text);
        return this;
    }

    /// <summary>Adds a JSON representation (application/json, application/vnd.plotly.v1+json).</summary>
    public MimeBundle AddJson(string mimeType, JsonNode json)
    {
        Data[mimeType] = json;
        return this;
    }

    /// <summary>The text of a text representation, or null when absent.</summary>
    public string? GetText(string mimeType) =>
        Data.TryGetValue(mimeType, out var node) && node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A bundle with only text/plain.</summary>
    public static MimeBundle PlainText(string text) => new MimeBundle().Add("text/plain", text);

    /// <summary>The data as a JSON object (for the wire and for nbformat).</summary>
    public JsonObject DataToJson()
    {
        var obj = new JsonObject();
        foreach (var (mime, node) in Data) obj[mime] = node.DeepClone();
        return obj;
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Runner.Polyglot;

/// <summary>Small JSON helpers shared by the Polyglot and .dib code.</summary>
internal static class JsonText
{
    /// <summary>Compact JSON as System.Text.Json writes it with relaxed escaping (non-ASCII, &lt;, &amp; kept as is).</summary>
    public static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? String(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };

    public static string Describe(JsonNode? node)
    {
        if (node is not JsonValue) return Kind(node);
        var text = node.ToJsonString(Compact);
        return $"{Kind(node)} {(text.Length > 40 ? text[..40] + "…" : text)}";
    }
}

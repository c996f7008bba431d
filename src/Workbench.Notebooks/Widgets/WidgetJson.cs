using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Widgets;

/// <summary>Reads widget state values whether they were parsed from a message or created in C#.</summary>
internal static class WidgetJson
{
    public static double ToDouble(JsonNode? node, string key)
    {
        if (node is not JsonValue v) throw new FormatException($"widget state '{key}' should be a number, not {Describe(node)}");
        if (!v.TryGetValue<double>(out var d))
        {
            if (v.GetValueKind() != JsonValueKind.Number) throw new FormatException($"widget state '{key}' should be a number, not {Describe(node)}");
            d = double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture); // an int or long made in C#
        }
        return double.IsFinite(d) ? d : throw new FormatException($"widget state '{key}' should be a finite number, not {d}");
    }

    public static int ToInt(JsonNode? node, string key)
    {
        var d = ToDouble(node, key);
        return d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue
            ? (int)d
            : throw new FormatException($"widget state '{key}' should be an integer, not {Describe(node)}");
    }

    public static int? ToNullableInt(JsonNode? node, string key) => node is null ? null : ToInt(node, key);

    public static bool ToBool(JsonNode? node, string key) => node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
        ? v.GetValueKind() == JsonValueKind.True
        : throw new FormatException($"widget state '{key}' should be true or false, not {Describe(node)}");

    public static string? ToText(JsonNode? node, string key) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new FormatException($"widget state '{key}' should be a string, not {Describe(node)}"),
    };

    /// <summary>Two values are the same state when their JSON is, numbers compared by value (3 and 3.0 are the same).</summary>
    public static bool Same(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (JsonValue x, JsonValue y) when x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number =>
            ToDouble(x, "") == ToDouble(y, ""),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => Same(p.First, p.Second)),
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out var v) && Same(p.Value, v)),
        _ => Text(a) == Text(b),
    };

    public static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static string Describe(JsonNode? node)
    {
        try { return node is null ? "null" : node.ToJsonString(); }
        catch (ArgumentException) { return node!.ToString(); } // NaN and infinities have no JSON
    }
}

using System.Text.Json;

namespace Workbench.Notebooks.Languages;

/// <summary>
/// JSON to .NET and back, for values that cross a process boundary: numbers, strings, booleans, lists and
/// dictionaries, nested as JSON nests them.
/// </summary>
public static class ValueConversion
{
    /// <summary>
    /// The .NET value of a JSON text: a whole number that fits becomes <see cref="long"/>, any other number
    /// <see cref="double"/>; a list <c>object?[]</c>; an object <c>Dictionary&lt;string, object?&gt;</c>.
    /// </summary>
    public static object? FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromElement(document.RootElement);
    }

    /// <summary>The .NET value of a parsed JSON element (see <see cref="FromJson(string)"/>).</summary>
    public static object? FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.GetDouble(),
        JsonValueKind.Array => element.EnumerateArray().Select(FromElement).ToArray(),
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromElement(p.Value)),
        _ => throw new ValueSharingException($"unsupported JSON value kind {element.ValueKind}"),
    };

    /// <summary>The JSON text of a .NET value.</summary>
    /// <exception cref="ValueSharingException">The value has no JSON form.</exception>
    public static string ToJson(object? value)
    {
        try
        {
            return JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object));
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            throw new ValueSharingException($"a {value!.GetType().Name} has no JSON form: {e.Message}", e);
        }
    }
}

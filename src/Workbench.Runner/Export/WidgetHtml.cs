using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Runner.Export;

/// <summary>
/// Static HTML for widget views, drawn from a notebook's saved widget state as each widget last was: a slider as a
/// disabled <c>&lt;input type="range"&gt;</c> at its value with its readout, a dropdown as a disabled
/// <c>&lt;select&gt;</c> with its option selected, a button as a disabled <c>&lt;button&gt;</c> with its label, an output
/// widget as its outputs. No widget library is loaded: the page shows the state, it does not run it.
/// </summary>
internal sealed class WidgetHtml(IReadOnlyDictionary<string, JsonObject> models)
{
    /// <summary>The MIME type of a widget view in outputs.</summary>
    public const string ViewMimeType = "application/vnd.jupyter.widget-view+json";

    /// <summary>The view's HTML, or null when its model is not in the state or is a kind drawn by no rule here.</summary>
    public string? Render(JsonObject view, Func<JsonObject, string> renderOutput)
    {
        var id = Text(view["model_id"]);
        if (id is null || !models.TryGetValue(id, out var model) || model["state"] is not JsonObject state) return null;
        var attributes = $"class=\"widget {{0}}\" data-model-id=\"{Encode(id)}\"";
        switch (Text(model["model_name"]))
        {
            case "IntSliderModel" or "FloatSliderModel":
                var value = Number(state["value"]);
                return Div(attributes, "widget-slider",
                    Label(state) +
                    $"<input type=\"range\" min=\"{Number(state["min"])}\" max=\"{Number(state["max"])}\" step=\"{Number(state["step"])}\" value=\"{value}\" disabled>" +
                    (state["readout"] is JsonValue r && r.GetValueKind() == JsonValueKind.False ? "" : $"<output class=\"readout\">{Encode(Readout(state))}</output>"));
            case "DropdownModel":
                var selected = state["index"] is JsonValue i && i.GetValueKind() == JsonValueKind.Number ? i.GetValue<int>() : -1;
                var options = new StringBuilder();
                var labels = state["_options_labels"] as JsonArray ?? [];
                for (var k = 0; k < labels.Count; k++)
                    options.Append("<option").Append(k == selected ? " selected" : "").Append('>').Append(Encode(Text(labels[k]) ?? "")).Append("</option>");
                return Div(attributes, "widget-dropdown", Label(state) + $"<select disabled>{options}</select>");
            case "ButtonModel":
                return Div(attributes, "widget-button", $"<button type=\"button\" disabled>{Encode(Text(state["description"]) ?? "")}</button>");
            case "OutputModel":
                var outputs = (state["outputs"] as JsonArray ?? []).OfType<JsonObject>().Select(renderOutput);
                return Div(attributes, "widget-output", string.Concat(outputs));
            default:
                return null;
        }
    }

    private static string Div(string attributes, string kind, string inner) => $"<div {string.Format(CultureInfo.InvariantCulture, attributes, kind)}>{inner}</div>";

    private static string Label(JsonObject state) =>
        Text(state["description"]) is { Length: > 0 } d ? $"<label>{Encode(d)}</label>" : "";

    // ipywidgets' readout formats as d3-format writes them; the two the sliders default to ("d", ".Nf") are enough here.
    private static string Readout(JsonObject state)
    {
        var value = state["value"] is JsonValue v && v.TryGetValue<double>(out var d) ? d : double.NaN;
        var format = Text(state["readout_format"]) ?? "";
        if (format.Length == 3 && format[0] == '.' && format[2] == 'f' && char.IsDigit(format[1]))
            return value.ToString("F" + format[1], CultureInfo.InvariantCulture);
        return Number(state["value"]);
    }

    // As the page would write the number: 2, not 2.0.
    private static string Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) ? d.ToString(CultureInfo.InvariantCulture) : "";

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

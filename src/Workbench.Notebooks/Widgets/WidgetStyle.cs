using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Widgets;

/// <summary>
/// A control's style model (<c>SliderStyleModel</c>, <c>DescriptionStyleModel</c>, <c>ButtonStyleModel</c> of
/// <c>@jupyter-widgets/controls</c>, drawn by <c>StyleView</c>): the description's width and colours. Attributes are
/// named as the model names them (<c>description_width</c>, <c>handle_color</c>, <c>button_color</c>, …).
/// </summary>
public sealed class WidgetStyle : Widget
{
    internal WidgetStyle(string modelName) : base("@jupyter-widgets/controls", modelName, "@jupyter-widgets/base", "StyleView")
    {
        foreach (var (key, value) in Attributes(modelName)) Declare(key, value);
        Open();
    }

    /// <summary>The width of the description beside the control ("" for the default).</summary>
    public string? DescriptionWidth { get => Get("description_width"); set => Set("description_width", value); }

    /// <summary>An attribute by its model name, or null when unset.</summary>
    public string? Get(string attribute) => GetText(attribute);

    /// <summary>Sets an attribute by its model name.</summary>
    public void Set(string attribute, string? value) => SetState(attribute, value);

    private static IEnumerable<(string, JsonNode?)> Attributes(string modelName) => modelName switch
    {
        "SliderStyleModel" => [("description_width", ""), ("handle_color", null)],
        "DescriptionStyleModel" => [("description_width", "")],
        "ButtonStyleModel" =>
        [
            ("button_color", null), ("font_family", null), ("font_size", null), ("font_style", null), ("font_variant", null),
            ("font_weight", null), ("text_color", null), ("text_decoration", null),
        ],
        _ => throw new ArgumentException($"no style model '{modelName}'", nameof(modelName)),
    };
}

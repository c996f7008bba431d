namespace Workbench.Notebooks.Widgets;

/// <summary>
/// A widget's CSS box (<c>LayoutModel</c> of <c>@jupyter-widgets/base</c>): every CSS property ipywidgets 8 knows, null
/// (unset) until given. <see cref="Set"/> takes the property as the model names it (<c>max_width</c>, <c>justify_content</c>).
/// </summary>
public sealed class Layout : Widget
{
    private static readonly string[] Properties =
    [
        "align_content", "align_items", "align_self", "border_bottom", "border_left", "border_right", "border_top", "bottom",
        "display", "flex", "flex_flow", "grid_area", "grid_auto_columns", "grid_auto_flow", "grid_auto_rows", "grid_column",
        "grid_gap", "grid_row", "grid_template_areas", "grid_template_columns", "grid_template_rows", "height",
        "justify_content", "justify_items", "left", "margin", "max_height", "max_width", "min_height", "min_width",
        "object_fit", "object_position", "order", "overflow", "padding", "right", "top", "visibility", "width",
    ];

    /// <summary>An empty layout (the page's defaults).</summary>
    public Layout() : base("@jupyter-widgets/base", "LayoutModel", "@jupyter-widgets/base", "LayoutView")
    {
        foreach (var p in Properties) Declare(p, null);
        Open();
    }

    /// <summary>The CSS width ("300px", "50%"), or null.</summary>
    public string? Width { get => Get("width"); set => Set("width", value); }

    /// <summary>The CSS height, or null.</summary>
    public string? Height { get => Get("height"); set => Set("height", value); }

    /// <summary>A CSS property by its model name (e.g. "margin", "max_width"), or null when unset.</summary>
    public string? Get(string property) => GetText(Check(property));

    /// <summary>Sets a CSS property by its model name; null unsets it.</summary>
    public void Set(string property, string? value) => SetState(Check(property), value);

    private static string Check(string property) => Properties.Contains(property)
        ? property
        : throw new ArgumentException($"'{property}' is not a layout property (e.g. width, height, margin, max_width)", nameof(property));
}

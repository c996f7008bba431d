using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Widgets;

/// <summary>A widget with a view in the page: a <see cref="Widgets.Layout"/> (CSS box), CSS classes, a tooltip, and a style model when its kind has one.</summary>
public abstract class DomWidget : Widget
{
    /// <summary>Creates the layout (and the style, when <paramref name="styleModelName"/> is given) before this model, as ipywidgets does.</summary>
    protected DomWidget(string module, string modelName, string viewName, string? styleModelName, string moduleVersion = "2.0.0")
        : base(module, modelName, module, viewName, moduleVersion, moduleVersion)
    {
        Layout = new Layout();
        Declare("_dom_classes", new JsonArray());
        Declare("layout", Layout.Reference);
        Declare("tabbable", null);
        Declare("tooltip", null);
        if (styleModelName is null) return;
        Style = new WidgetStyle(styleModelName);
        Declare("style", Style.Reference);
    }

    /// <summary>The widget's CSS box (width, height, margins, …).</summary>
    public Layout Layout { get; }

    /// <summary>The widget's style model (description width, colours), or null for kinds without one.</summary>
    public WidgetStyle? Style { get; }

    /// <summary>A tooltip caption, or null.</summary>
    public string? Tooltip
    {
        get => GetText("tooltip");
        set => SetState("tooltip", value);
    }
}

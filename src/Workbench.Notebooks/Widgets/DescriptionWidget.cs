namespace Workbench.Notebooks.Widgets;

/// <summary>A control with a description label beside it (sliders, dropdowns) and a disabled state.</summary>
public abstract class DescriptionWidget : DomWidget
{
    /// <summary>A control of the <c>@jupyter-widgets/controls</c> module.</summary>
    protected DescriptionWidget(string modelName, string viewName, string styleModelName, string description)
        : base("@jupyter-widgets/controls", modelName, viewName, styleModelName)
    {
        Declare("description", description ?? "");
        Declare("description_allow_html", false);
        Declare("disabled", false);
    }

    /// <summary>The label shown beside the control.</summary>
    public string Description
    {
        get => GetText("description") ?? "";
        set => SetState("description", value ?? "");
    }

    /// <summary>True: the user cannot change the control.</summary>
    public bool Disabled
    {
        get => WidgetJson.ToBool(GetStateValue("disabled"), "disabled");
        set => SetState("disabled", value);
    }

    /// <inheritdoc/>
    protected override IEnumerable<string> ReprKeys => Description.Length > 0 ? ["value", "description"] : ["value"];
}

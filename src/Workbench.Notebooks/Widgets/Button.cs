using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Widgets;

/// <summary>
/// A push button (<c>ButtonModel</c>/<c>ButtonView</c> of <c>@jupyter-widgets/controls</c> 2.0.0). A click in the front
/// end arrives as a <c>custom</c> message <c>{"event": "click"}</c> and raises <see cref="Click"/>.
/// </summary>
public sealed class Button : DomWidget
{
    /// <summary>A button labelled <paramref name="description"/>; <paramref name="buttonStyle"/> is "", "primary", "success", "info", "warning" or "danger".</summary>
    public Button(string description = "", string buttonStyle = "", string icon = "")
        : base("@jupyter-widgets/controls", "ButtonModel", "ButtonView", "ButtonStyleModel")
    {
        Declare("button_style", buttonStyle ?? "");
        Declare("description", description ?? "");
        Declare("disabled", false);
        Declare("icon", icon ?? "");
        Open();
    }

    /// <summary>Raised when the button is clicked in a front end (or by <see cref="PerformClick"/>).</summary>
    public event EventHandler? Click;

    /// <summary>The button's label.</summary>
    public string Description { get => GetText("description") ?? ""; set => SetState("description", value ?? ""); }

    /// <summary>"", "primary", "success", "info", "warning" or "danger".</summary>
    public string ButtonStyle { get => GetText("button_style") ?? ""; set => SetState("button_style", value ?? ""); }

    /// <summary>True: the button cannot be clicked.</summary>
    public bool Disabled { get => WidgetJson.ToBool(GetStateValue("disabled"), "disabled"); set => SetState("disabled", value); }

    /// <summary>Raises <see cref="Click"/> as a click in the front end would.</summary>
    public void PerformClick() => Click?.Invoke(this, EventArgs.Empty);

    /// <inheritdoc/>
    protected override IEnumerable<string> ReprKeys => ["description"];

    /// <inheritdoc/>
    protected override void OnCustomMessage(JsonNode? content, IReadOnlyList<byte[]> buffers)
    {
        if ((string?)content?["event"] == "click") PerformClick();
    }
}

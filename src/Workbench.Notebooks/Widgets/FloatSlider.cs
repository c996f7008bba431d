using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Widgets;

/// <summary>
/// A slider over real numbers (<c>FloatSliderModel</c>/<c>FloatSliderView</c> of <c>@jupyter-widgets/controls</c> 2.0.0).
/// The value stays within [<see cref="Min"/>, <see cref="Max"/>]: a value outside is clamped, and the front end is told.
/// <see cref="ValueChanged"/> fires for every change, whether the user dragged the slider or a cell set <see cref="Value"/>.
/// </summary>
public sealed class FloatSlider : DescriptionWidget
{
    /// <summary>A slider from <paramref name="min"/> to <paramref name="max"/> in steps of <paramref name="step"/>, at <paramref name="value"/>.</summary>
    public FloatSlider(double value = 0, double min = 0, double max = 100, double step = 0.1, string description = "")
        : base("FloatSliderModel", "FloatSliderView", "SliderStyleModel", description)
    {
        if (min > max) throw new ArgumentException($"FloatSlider: min ({min}) is greater than max ({max})", nameof(min));
        Declare("behavior", "drag-tap");
        Declare("continuous_update", true);
        Declare("max", max);
        Declare("min", min);
        Declare("orientation", "horizontal");
        Declare("readout", true);
        Declare("readout_format", ".2f");
        Declare("step", step);
        Declare("value", Math.Clamp(value, min, max));
        Open();
    }

    /// <summary>Raised after the value changed (old and new value, and whether a front end set it).</summary>
    public event EventHandler<WidgetValueChangedEventArgs<double>>? ValueChanged;

    /// <summary>The value, clamped to [Min, Max].</summary>
    public double Value { get => Number("value"); set => SetState("value", value); }

    /// <summary>The lowest value (the value follows when it rises above it).</summary>
    public double Min { get => Number("min"); set => SetState("min", value); }

    /// <summary>The highest value (the value follows when it falls below it).</summary>
    public double Max { get => Number("max"); set => SetState("max", value); }

    /// <summary>The step between values.</summary>
    public double Step { get => Number("step"); set => SetState("step", value); }

    /// <summary>True (default): the value is sent while the slider is dragged; false: when it is released.</summary>
    public bool ContinuousUpdate { get => WidgetJson.ToBool(GetStateValue("continuous_update"), "continuous_update"); set => SetState("continuous_update", value); }

    /// <summary>"horizontal" (default) or "vertical".</summary>
    public string Orientation { get => GetText("orientation")!; set => SetState("orientation", value); }

    /// <inheritdoc/>
    protected override JsonNode? Coerce(string key, JsonNode? value) => key switch
    {
        "value" => Math.Clamp(WidgetJson.ToDouble(value, key), Min, Max),
        "min" => WidgetJson.ToDouble(value, key) is var min && min <= Max ? min : throw new ArgumentException($"FloatSlider: min ({min}) is greater than max ({Max})"),
        "max" => WidgetJson.ToDouble(value, key) is var max && max >= Min ? max : throw new ArgumentException($"FloatSlider: max ({max}) is less than min ({Min})"),
        "step" => WidgetJson.ToDouble(value, key),
        _ => value,
    };

    /// <inheritdoc/>
    protected override void OnStateChanged(string key, JsonNode? oldValue, JsonNode? newValue, bool fromFrontEnd)
    {
        if (key is "min" or "max") SetState("value", Value); // clamps into the new range
        if (key == "value") ValueChanged?.Invoke(this, new(WidgetJson.ToDouble(oldValue, key), WidgetJson.ToDouble(newValue, key), fromFrontEnd));
    }

    private double Number(string key) => WidgetJson.ToDouble(GetStateValue(key), key);
}

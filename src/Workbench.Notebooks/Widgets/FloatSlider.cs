using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Widgets;

/// <summary>
/// A slider over real numbers (<c>FloatSliderModel</c>/<c>FloatSliderView</c> of <c>@jupyter-widgets/controls</c> 2.0.0),
/// its readout with two decimals.
/// </summary>
public sealed class FloatSlider : Slider<double>
{
    /// <summary>A slider from <paramref name="min"/> to <paramref name="max"/> in steps of <paramref name="step"/>, at <paramref name="value"/>.</summary>
    public FloatSlider(double value = 0, double min = 0, double max = 100, double step = 0.1, string description = "")
        : base("FloatSliderModel", "FloatSliderView", ".2f", value, min, max, step, description) { }

    private protected override double FromJson(JsonNode? node, string key) => WidgetJson.ToDouble(node, key);
}

using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Widgets;

/// <summary>
/// A slider over integers (<c>IntSliderModel</c>/<c>IntSliderView</c> of <c>@jupyter-widgets/controls</c> 2.0.0).
/// </summary>
public sealed class IntSlider : Slider<int>
{
    /// <summary>A slider from <paramref name="min"/> to <paramref name="max"/> in steps of <paramref name="step"/>, at <paramref name="value"/>.</summary>
    public IntSlider(int value = 0, int min = 0, int max = 100, int step = 1, string description = "")
        : base("IntSliderModel", "IntSliderView", "d", value, min, max, step, description) { }

    private protected override int FromJson(JsonNode? node, string key) => WidgetJson.ToInt(node, key);
}

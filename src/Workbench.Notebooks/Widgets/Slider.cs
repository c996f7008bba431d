using System.Numerics;
using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Widgets;

/// <summary>
/// What <see cref="IntSlider"/> and <see cref="FloatSlider"/> share: a value kept within [<see cref="Min"/>,
/// <see cref="Max"/>] (a value outside is clamped, and the front end is told), a step, and
/// <see cref="ValueChanged"/>, raised for every change, whether the user dragged the slider or a cell set
/// <see cref="Value"/>.
/// </summary>
/// <typeparam name="T">The number type of the value (int or double).</typeparam>
public abstract class Slider<T> : DescriptionWidget where T : struct, INumber<T>
{
    private protected Slider(string model, string view, string readoutFormat, T value, T min, T max, T step, string description)
        : base(model, view, "SliderStyleModel", description)
    {
        if (min > max) throw new ArgumentException($"{GetType().Name}: min ({min}) is greater than max ({max})", nameof(min));
        Declare("behavior", "drag-tap");
        Declare("continuous_update", true);
        Declare("max", ToJson(max));
        Declare("min", ToJson(min));
        Declare("orientation", "horizontal");
        Declare("readout", true);
        Declare("readout_format", readoutFormat);
        Declare("step", ToJson(step));
        Declare("value", ToJson(T.Clamp(value, min, max)));
        Open();
    }

    /// <summary>Raised after the value changed (old and new value, and whether a front end set it).</summary>
    public event EventHandler<WidgetValueChangedEventArgs<T>>? ValueChanged;

    /// <summary>The value, clamped to [Min, Max].</summary>
    public T Value { get => Read("value"); set => SetState("value", ToJson(value)); }

    /// <summary>The lowest value (the value follows when it rises above it).</summary>
    public T Min { get => Read("min"); set => SetState("min", ToJson(value)); }

    /// <summary>The highest value (the value follows when it falls below it).</summary>
    public T Max { get => Read("max"); set => SetState("max", ToJson(value)); }

    /// <summary>The step between values.</summary>
    public T Step { get => Read("step"); set => SetState("step", ToJson(value)); }

    /// <summary>True (default): the value is sent while the slider is dragged; false: when it is released.</summary>
    public bool ContinuousUpdate { get => WidgetJson.ToBool(GetStateValue("continuous_update"), "continuous_update"); set => SetState("continuous_update", value); }

    /// <summary>"horizontal" (default) or "vertical".</summary>
    public string Orientation { get => GetText("orientation")!; set => SetState("orientation", value); }

    /// <summary>The number a state value holds, or an error naming <paramref name="key"/>.</summary>
    private protected abstract T FromJson(JsonNode? node, string key);

    // The non-generic JsonValue.Create overloads: the same JSON numbers the front end sends, without reflection.
    private static JsonNode ToJson(T value) =>
        typeof(T) == typeof(int) ? JsonValue.Create(int.CreateChecked(value)) : JsonValue.Create(double.CreateChecked(value));

    /// <inheritdoc/>
    protected override JsonNode? Coerce(string key, JsonNode? value) => key switch
    {
        "value" => ToJson(T.Clamp(FromJson(value, key), Min, Max)),
        "min" => FromJson(value, key) is var min && min <= Max ? ToJson(min) : throw new ArgumentException($"{GetType().Name}: min ({min}) is greater than max ({Max})"),
        "max" => FromJson(value, key) is var max && max >= Min ? ToJson(max) : throw new ArgumentException($"{GetType().Name}: max ({max}) is less than min ({Min})"),
        "step" => ToJson(FromJson(value, key)),
        _ => value,
    };

    /// <inheritdoc/>
    protected override void OnStateChanged(string key, JsonNode? oldValue, JsonNode? newValue, bool fromFrontEnd)
    {
        if (key is "min" or "max") SetState("value", ToJson(Value)); // clamps into the new range
        if (key == "value") ValueChanged?.Invoke(this, new(FromJson(oldValue, key), FromJson(newValue, key), fromFrontEnd));
    }

    private T Read(string key) => FromJson(GetStateValue(key), key);
}

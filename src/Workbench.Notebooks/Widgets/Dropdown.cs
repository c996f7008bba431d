using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Widgets;

/// <summary>
/// A drop-down list of labels (<c>DropdownModel</c>/<c>DropdownView</c> of <c>@jupyter-widgets/controls</c> 2.0.0). The
/// front end sees the labels and the selected index; <see cref="Value"/> is the selected label (null: none).
/// </summary>
public sealed class Dropdown : DescriptionWidget
{
    /// <summary>A list of <paramref name="options"/> with <paramref name="index"/> selected (default: the first, when there is one).</summary>
    public Dropdown(IEnumerable<string> options, int? index = null, string description = "")
        : base("DropdownModel", "DropdownView", "DescriptionStyleModel", description)
    {
        var labels = options?.ToList() ?? throw new ArgumentNullException(nameof(options));
        index ??= labels.Count > 0 ? 0 : null;
        if (index is { } i && (i < 0 || i >= labels.Count))
            throw new ArgumentOutOfRangeException(nameof(index), $"Dropdown: index {i} is outside the {labels.Count} options");
        Declare("_options_labels", new JsonArray(labels.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()));
        Declare("index", index);
        Open();
    }

    /// <summary>Raised after the selection changed (old and new label).</summary>
    public event EventHandler<WidgetValueChangedEventArgs<string?>>? ValueChanged;

    /// <summary>The labels, in order. Setting them selects the first (or nothing when empty).</summary>
    public IReadOnlyList<string> Options
    {
        get => GetStateValue("_options_labels")!.AsArray().Select(n => (string)n!).ToList();
        set
        {
            SetState("index", null);
            SetState("_options_labels", new JsonArray(value.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()));
            if (value.Count > 0) SetState("index", 0);
        }
    }

    /// <summary>The selected position, or null for none.</summary>
    public int? Index { get => WidgetJson.ToNullableInt(GetStateValue("index"), "index"); set => SetState("index", value); }

    /// <summary>The selected label, or null; setting a label that is not an option throws.</summary>
    public string? Value
    {
        get => Index is { } i ? Options[i] : null;
        set
        {
            if (value is null) { Index = null; return; }
            var i = Options.ToList().IndexOf(value);
            Index = i >= 0 ? i : throw new ArgumentException($"Dropdown: '{value}' is not one of the options ({string.Join(", ", Options)})", nameof(value));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"Dropdown(options=({string.Join(", ", Options.Select(o => "'" + o + "'"))}), value={(Value is null ? "None" : "'" + Value + "'")})";

    /// <inheritdoc/>
    protected override JsonNode? Coerce(string key, JsonNode? value)
    {
        if (key != "index" || value is null) return value;
        var i = WidgetJson.ToInt(value, key);
        var count = GetStateValue("_options_labels")!.AsArray().Count;
        return i >= 0 && i < count ? i : throw new ArgumentOutOfRangeException(nameof(value), $"Dropdown: index {i} is outside the {count} options");
    }

    /// <inheritdoc/>
    protected override void OnStateChanged(string key, JsonNode? oldValue, JsonNode? newValue, bool fromFrontEnd)
    {
        if (key != "index") return;
        var labels = Options;
        string? Label(JsonNode? n) => WidgetJson.ToNullableInt(n, key) is { } i && i < labels.Count ? labels[i] : null;
        ValueChanged?.Invoke(this, new(Label(oldValue), Label(newValue), fromFrontEnd));
    }
}

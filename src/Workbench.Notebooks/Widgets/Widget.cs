using System.Text.Json.Nodes;
using Workbench.Notebooks.Comms;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Mime;

namespace Workbench.Notebooks.Widgets;

/// <summary>
/// A Jupyter widget (widget messaging protocol 2.1, as ipywidgets 8 speaks it): a model whose state is a set of JSON
/// keys kept in step with the front end over a comm to the <c>jupyter.widget</c> target. Created in a cell, a widget
/// opens its comm at once with its whole state; a change made in C# goes out as an <c>update</c>; a change the front
/// end makes arrives as an <c>update</c>, is echoed to every front end (<c>echo_update</c>), coerced (a slider clamps
/// its value) and raised as a C# event; an <c>update</c> goes back only when coercion or a handler changed the value
/// the front end sent. <c>request_state</c> is answered with the whole state; <c>custom</c> messages go to
/// <see cref="OnCustomMessage"/>. Displayed (as a cell's value or with <c>display</c>), it shows as an
/// <c>application/vnd.jupyter.widget-view+json</c> view of its model. A widget made outside a cell has no comm and
/// keeps its state in C# only.
/// </summary>
public abstract class Widget : IMimeRenderable
{
    /// <summary>The comm target widget models are opened on.</summary>
    public const string TargetName = "jupyter.widget";

    /// <summary>The widget messaging protocol version sent in comm_open metadata.</summary>
    public const string ProtocolVersion = "2.1.0";

    /// <summary>The MIME type of a widget view in display outputs.</summary>
    public const string ViewMimeType = "application/vnd.jupyter.widget-view+json";

    /// <summary>The MIME type of saved widget state (notebook metadata "widgets").</summary>
    public const string StateMimeType = "application/vnd.jupyter.widget-state+json";

    private readonly object _lock = new();
    private readonly Dictionary<string, JsonNode?> _state = new(StringComparer.Ordinal);
    private Dictionary<string, JsonNode?>? _sentByFrontEnd; // while a front end's update is applied: key → the value it sent
    private Comm? _comm;
    private WidgetManager? _manager;

    /// <summary>A model of <paramref name="modelName"/> in <paramref name="module"/> with its view <paramref name="viewName"/> in <paramref name="viewModule"/>.</summary>
    protected Widget(string module, string modelName, string viewModule, string? viewName, string moduleVersion = "2.0.0", string viewModuleVersion = "2.0.0")
    {
        ModelId = CommManager.NewId();
        Declare("_model_module", module);
        Declare("_model_module_version", moduleVersion);
        Declare("_model_name", modelName);
        Declare("_view_count", null);
        Declare("_view_module", viewModule);
        Declare("_view_module_version", viewModuleVersion);
        Declare("_view_name", viewName);
    }

    /// <summary>The model id: the id of the widget's comm.</summary>
    public string ModelId { get; }

    /// <summary>The front-end model class (e.g. "IntSliderModel").</summary>
    public string ModelName => GetText("_model_name")!;

    /// <summary>The JavaScript module of the model (e.g. "@jupyter-widgets/controls").</summary>
    public string ModelModule => GetText("_model_module")!;

    /// <summary>The semver of <see cref="ModelModule"/> (e.g. "2.0.0").</summary>
    public string ModelModuleVersion => GetText("_model_module_version")!;

    /// <summary>True while the widget's comm is open (a front end may show it).</summary>
    public bool IsOpen => _comm?.IsOpen ?? false;

    /// <summary>This widget as another widget's state refers to it: "IPY_MODEL_" + model id.</summary>
    public string Reference => "IPY_MODEL_" + ModelId;

    /// <summary>The whole state, keys sorted, as sent in comm_open and saved in notebook metadata.</summary>
    public JsonObject GetState()
    {
        lock (_lock)
        {
            var state = new JsonObject();
            foreach (var key in _state.Keys.Order(StringComparer.Ordinal)) state[key] = _state[key]?.DeepClone();
            return state;
        }
    }

    /// <summary>Sends a <c>custom</c> message to the front-end model.</summary>
    public void SendCustom(JsonNode content, IReadOnlyList<byte[]>? buffers = null) =>
        Send(new JsonObject { ["method"] = "custom", ["content"] = content }, buffers);

    /// <summary>Closes the comm: front ends remove the widget's views. The state stays readable in C#.</summary>
    public void Close() => _comm?.Close();

    /// <inheritdoc/>
    public MimeBundle ToMimeBundle()
    {
        var text = ToString();
        if (text.Length > 110) text = text[..110] + "…";
        var bundle = new MimeBundle().Add("text/plain", text);
        if (GetText("_view_name") is not null)
            bundle.AddJson(ViewMimeType, new JsonObject { ["version_major"] = 2, ["version_minor"] = 0, ["model_id"] = ModelId });
        return bundle;
    }

    /// <summary>"Name(key=value, …)" of the keys <see cref="ReprKeys"/> names, as ipywidgets shows a widget as text.</summary>
    public override string ToString()
    {
        var parts = ReprKeys.Select(k => $"{k}={Repr(GetStateValue(k))}");
        return $"{GetType().Name}({string.Join(", ", parts)})";
    }

    /// <summary>The keys <see cref="ToString"/> shows.</summary>
    protected virtual IEnumerable<string> ReprKeys => [];

    /// <summary>Sets a key's initial value (constructors only: nothing is sent).</summary>
    protected void Declare(string key, JsonNode? value)
    {
        lock (_lock) _state[key] = value;
    }

    /// <summary>Opens the comm with the whole state, in the session of the running cell (none: the widget stays local). The sealed widget classes call it last in their constructors.</summary>
    protected void Open()
    {
        if (_comm is not null || NotebookSession.Current is not { } session) return;
        var comm = session.Comms.Open(TargetName, new JsonObject { ["state"] = GetState(), ["buffer_paths"] = new JsonArray() },
            new JsonObject { ["version"] = ProtocolVersion }, commId: ModelId);
        _manager = session.Widgets;
        comm.MessageReceived += (_, message) => Receive(message);
        comm.Closed += (_, _) => _manager.Remove(this);
        _comm = comm;
        _manager.Add(this);
    }

    /// <summary>The current value of a key (a copy: changing it changes nothing).</summary>
    protected JsonNode? GetStateValue(string key)
    {
        lock (_lock) return _state.TryGetValue(key, out var v) ? v?.DeepClone() : throw new KeyNotFoundException($"{GetType().Name} has no state '{key}'");
    }

    /// <summary>The string value of a key.</summary>
    protected string? GetText(string key) => WidgetJson.ToText(GetStateValue(key), key);

    /// <summary>Sets a key from C#: coerced, stored, sent to the front end when it changed, then <see cref="OnStateChanged"/>.</summary>
    protected void SetState(string key, JsonNode? value)
    {
        if (!Store(key, value, out var old, out var now)) return;
        SendIfNotEcho(key, now);
        OnStateChanged(key, old, now, fromFrontEnd: false);
    }

    /// <summary>Validates or adjusts a value before it is stored (a slider clamps its value); throws for a value that cannot be.</summary>
    protected virtual JsonNode? Coerce(string key, JsonNode? value) => value;

    /// <summary>A key changed (already sent to the front end). Widgets raise their typed events here.</summary>
    protected virtual void OnStateChanged(string key, JsonNode? oldValue, JsonNode? newValue, bool fromFrontEnd) { }

    /// <summary>A <c>custom</c> message from the front end (a button's click).</summary>
    protected virtual void OnCustomMessage(JsonNode? content, IReadOnlyList<byte[]> buffers) { }

    private bool Store(string key, JsonNode? value, out JsonNode? old, out JsonNode? now)
    {
        lock (_lock)
        {
            if (!_state.TryGetValue(key, out old)) throw new KeyNotFoundException($"{GetType().Name} has no state '{key}'");
            now = Coerce(key, value?.DeepClone());
            if (WidgetJson.Same(old, now)) return false;
            _state[key] = now;
            old = old?.DeepClone();
            now = now?.DeepClone();
            return true;
        }
    }

    // While a front end's update is applied, what it sent is not sent back (it has it); a different value is.
    private void SendIfNotEcho(string key, JsonNode? value)
    {
        if (_sentByFrontEnd is { } sent && sent.TryGetValue(key, out var sentValue) && WidgetJson.Same(sentValue, value)) return;
        Send(new JsonObject { ["method"] = "update", ["state"] = new JsonObject { [key] = value?.DeepClone() }, ["buffer_paths"] = new JsonArray() });
    }

    private void Send(JsonObject data, IReadOnlyList<byte[]>? buffers = null)
    {
        if (_comm is { IsOpen: true } comm) comm.Send(data, buffers: buffers);
    }

    private void Receive(CommMessage message)
    {
        var method = (string?)message.Data["method"];
        switch (method)
        {
            case "update" when message.Data["state"] is JsonObject state:
                ApplyFrontEndState(state);
                break;
            case "request_state":
                Send(new JsonObject { ["method"] = "update", ["state"] = GetState(), ["buffer_paths"] = new JsonArray() });
                break;
            case "custom":
                OnCustomMessage(message.Data["content"], message.Buffers);
                break;
            default:
                throw new InvalidOperationException($"{GetType().Name} {ModelId}: unknown widget message method '{method}'");
        }
    }

    private void ApplyFrontEndState(JsonObject state)
    {
        List<string> keys;
        lock (_lock) keys = state.Select(p => p.Key).Where(k => _state.ContainsKey(k) && !k.StartsWith("_model", StringComparison.Ordinal) && !k.StartsWith("_view", StringComparison.Ordinal)).ToList();
        if (keys.Count == 0) return;
        // Every front end learns of the change first, the one that made it included (it waits for its own echo).
        var echo = new JsonObject();
        foreach (var key in keys) echo[key] = state[key]?.DeepClone();
        Send(new JsonObject { ["method"] = "echo_update", ["state"] = echo, ["buffer_paths"] = new JsonArray() });

        _sentByFrontEnd = keys.ToDictionary(k => k, k => state[k]?.DeepClone(), StringComparer.Ordinal);
        try
        {
            var changes = new List<(string Key, JsonNode? Old, JsonNode? Now)>();
            foreach (var key in keys)
            {
                if (!Store(key, state[key], out var old, out var now)) continue;
                SendIfNotEcho(key, now);
                changes.Add((key, old, now));
            }
            // Handlers run with every key set, and while the front end's values still count as sent.
            foreach (var (key, old, now) in changes) OnStateChanged(key, old, now, fromFrontEnd: true);
        }
        finally
        {
            _sentByFrontEnd = null;
        }
    }

    private static string Repr(JsonNode? value) => value switch
    {
        null => "None",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => "'" + v.GetValue<string>() + "'",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.True => "True",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.False => "False",
        _ => value.ToJsonString(),
    };
}

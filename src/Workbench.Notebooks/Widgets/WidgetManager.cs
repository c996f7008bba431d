using System.Text.Json.Nodes;
using Workbench.Notebooks.Comms;

namespace Workbench.Notebooks.Widgets;

/// <summary>
/// The widgets alive in one session, for what needs them all: the notebook's saved widget state
/// (<see cref="State"/>, which the runner writes into notebook metadata as JupyterLab and nbconvert do) and the
/// <c>jupyter.widget.control</c> comm, on which a front end that reconnects asks for every state at once.
/// </summary>
public sealed class WidgetManager
{
    /// <summary>The comm target a front end asks for every widget's state on (widget control protocol 1.0).</summary>
    public const string ControlTargetName = "jupyter.widget.control";

    private readonly object _lock = new();
    private readonly List<Widget> _widgets = new();

    internal WidgetManager(CommManager comms)
    {
        comms.RegisterTarget(ControlTargetName, (comm, _) => comm.MessageReceived += (_, message) =>
        {
            if ((string?)message.Data["method"] != "request_states")
                throw new InvalidOperationException($"{ControlTargetName}: unknown method '{(string?)message.Data["method"]}'");
            comm.Send(new JsonObject { ["method"] = "update_states", ["states"] = States(), ["buffer_paths"] = new JsonArray() });
        });
    }

    /// <summary>The open widgets, in the order they were created.</summary>
    public IReadOnlyList<Widget> Widgets
    {
        get { lock (_lock) return _widgets.ToList(); }
    }

    /// <summary>The widget with this model id, or null.</summary>
    public Widget? Find(string modelId)
    {
        lock (_lock) return _widgets.FirstOrDefault(w => w.ModelId == modelId);
    }

    /// <summary>
    /// The <c>application/vnd.jupyter.widget-state+json</c> of every open widget:
    /// <c>{"version_major": 2, "version_minor": 0, "state": {model_id: {model_name, model_module, model_module_version, state}}}</c>.
    /// </summary>
    public JsonObject State() => new() { ["version_major"] = 2, ["version_minor"] = 0, ["state"] = States() };

    private JsonObject States()
    {
        var states = new JsonObject();
        foreach (var widget in Widgets)
            states[widget.ModelId] = new JsonObject
            {
                ["model_name"] = widget.ModelName,
                ["model_module"] = widget.ModelModule,
                ["model_module_version"] = widget.ModelModuleVersion,
                ["state"] = widget.GetState(),
            };
        return states;
    }

    internal void Add(Widget widget)
    {
        lock (_lock) _widgets.Add(widget);
    }

    internal void Remove(Widget widget)
    {
        lock (_lock) _widgets.Remove(widget);
    }
}

using System.Text.Json.Nodes;
using Workbench.Notebooks.Widgets;
using Workbench.Runner.Nbformat;

namespace Workbench.Runner.Widgets;

/// <summary>
/// The notebook-level widget state, <c>metadata.widgets["application/vnd.jupyter.widget-state+json"]</c>, as JupyterLab
/// and nbconvert save it: the last state of every widget model, so that a reader without a kernel can still draw them.
/// </summary>
public static class WidgetStateMetadata
{
    /// <summary>The metadata key.</summary>
    public const string Key = "widgets";

    /// <summary>Writes the state of the session's open widgets; a run with none removes a stale state (its models no longer exist).</summary>
    public static void Record(Notebook notebook, WidgetManager widgets)
    {
        var state = widgets.State();
        if (state["state"]!.AsObject().Count == 0)
        {
            notebook.Metadata.Remove(Key);
            return;
        }
        notebook.Metadata[Key] = new JsonObject { [Widget.StateMimeType] = state };
    }

    /// <summary>The saved models by id (each {model_name, model_module, model_module_version, state}); empty when the notebook has none.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Models(Notebook notebook)
    {
        var models = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (notebook.Metadata[Key]?[Widget.StateMimeType]?["state"] is JsonObject state)
            foreach (var (id, model) in state)
                if (model is JsonObject m) models[id] = m;
        return models;
    }
}

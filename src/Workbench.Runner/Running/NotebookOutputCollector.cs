using Workbench.Notebooks.Mime;
using System.Text.Json.Nodes;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;
using Workbench.Runner.Nbformat;

namespace Workbench.Runner.Running;

/// <summary>
/// Receives a running cell's side outputs and appends them to the cell as Jupyter would: consecutive stream text of
/// the same name merged into one output, displays as display_data, updates rewriting every earlier output with the
/// same display id (in any cell of the run).
/// </summary>
internal sealed class NotebookOutputCollector
{
    private readonly object _lock = new();
    private readonly Dictionary<string, List<JsonObject>> _displays = new(StringComparer.Ordinal);

    /// <summary>
    /// The sink for one cell's outputs. Each cell gets its own, so text that an abandoned (timed-out) cell still
    /// writes lands in that cell, not in the one running now.
    /// </summary>
    public ICellOutput For(NotebookCell cell) => new CellSink(this, cell);

    /// <summary>Appends an output to <paramref name="cell"/>.</summary>
    public void Add(NotebookCell cell, JsonObject output)
    {
        lock (_lock) cell.Outputs.Add(output);
    }

    private void Stream(NotebookCell cell, string name, string text)
    {
        lock (_lock)
        {
            if (text.Length == 0) return;
            var last = cell.Outputs.Count > 0 ? cell.Outputs[^1] : null;
            if (last?["output_type"]?.GetValue<string>() == "stream" && last["name"]?.GetValue<string>() == name)
                last["text"] = last["text"]!.GetValue<string>() + text;
            else
                cell.Outputs.Add(NotebookOutputs.Stream(name, text));
        }
    }

    private void Display(NotebookCell cell, MimeBundle bundle, string? displayId)
    {
        lock (_lock)
        {
            var output = NotebookOutputs.DisplayData(bundle);
            cell.Outputs.Add(output);
            if (displayId is null) return;
            if (!_displays.TryGetValue(displayId, out var list)) _displays[displayId] = list = new List<JsonObject>();
            list.Add(output);
        }
    }

    private void UpdateDisplay(MimeBundle bundle, string displayId)
    {
        lock (_lock)
        {
            // As in Jupyter, an update for an id that was never displayed changes nothing.
            if (!_displays.TryGetValue(displayId, out var list)) return;
            foreach (var output in list)
            {
                output["data"] = bundle.DataToJson();
                output["metadata"] = bundle.Metadata.DeepClone();
            }
        }
    }

    private sealed class CellSink(NotebookOutputCollector owner, NotebookCell cell) : ICellOutput
    {
        public void Stream(string name, string text) => owner.Stream(cell, name, text);

        public void Display(MimeBundle bundle, string? displayId) => owner.Display(cell, bundle, displayId);

        public void UpdateDisplay(MimeBundle bundle, string displayId) => owner.UpdateDisplay(bundle, displayId);
    }
}

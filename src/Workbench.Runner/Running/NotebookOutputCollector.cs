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
internal sealed class NotebookOutputCollector : ICellOutput
{
    private readonly object _lock = new();
    private readonly Dictionary<string, List<JsonObject>> _displays = new(StringComparer.Ordinal);
    private NotebookCell? _cell;

    /// <summary>The cell that receives outputs from now on.</summary>
    public NotebookCell? Cell
    {
        get { lock (_lock) return _cell; }
        set { lock (_lock) _cell = value; }
    }

    public void Add(JsonObject output)
    {
        lock (_lock) _cell?.Outputs.Add(output);
    }

    public void Stream(string name, string text)
    {
        lock (_lock)
        {
            if (_cell is null || text.Length == 0) return;
            var last = _cell.Outputs.Count > 0 ? _cell.Outputs[^1] : null;
            if (last?["output_type"]?.GetValue<string>() == "stream" && last["name"]?.GetValue<string>() == name)
                last["text"] = last["text"]!.GetValue<string>() + text;
            else
                _cell.Outputs.Add(NotebookOutputs.Stream(name, text));
        }
    }

    public void Display(MimeBundle bundle, string? displayId)
    {
        lock (_lock)
        {
            if (_cell is null) return;
            var output = NotebookOutputs.DisplayData(bundle);
            _cell.Outputs.Add(output);
            if (displayId is null) return;
            if (!_displays.TryGetValue(displayId, out var list)) _displays[displayId] = list = new List<JsonObject>();
            list.Add(output);
        }
    }

    public void UpdateDisplay(MimeBundle bundle, string displayId)
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
}

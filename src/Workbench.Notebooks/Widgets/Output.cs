using System.Text.Json.Nodes;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Widgets;

/// <summary>
/// An area of outputs (<c>OutputModel</c>/<c>OutputView</c> of <c>@jupyter-widgets/output</c> 1.0.0) that code fills
/// later, e.g. from a button's click: its <c>outputs</c> state holds nbformat outputs (streams and displays) and the
/// front end draws them; a saved notebook keeps them in its widget state.
/// </summary>
public sealed class Output : DomWidget
{
    /// <summary>An empty output area.</summary>
    public Output() : base("@jupyter-widgets/output", "OutputModel", "OutputView", styleModelName: null, moduleVersion: "1.0.0")
    {
        Declare("msg_id", "");
        Declare("outputs", new JsonArray());
        Open();
    }

    /// <summary>The outputs shown now (a copy), as nbformat outputs.</summary>
    public JsonArray Outputs => GetStateValue("outputs")!.AsArray();

    /// <summary>Appends text to the standard output shown.</summary>
    public void AppendStdout(string text) => Append(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = text });

    /// <summary>Appends text to the standard error shown.</summary>
    public void AppendStderr(string text) => Append(new JsonObject { ["output_type"] = "stream", ["name"] = "stderr", ["text"] = text });

    /// <summary>Appends a value, formatted as <c>display(value)</c> formats it in the running session.</summary>
    public void AppendDisplayData(object? value)
    {
        var bundle = NotebookSession.Current?.Format(value) ?? new FormatterRegistry().Format(value);
        Append(new JsonObject { ["output_type"] = "display_data", ["data"] = bundle.DataToJson(), ["metadata"] = bundle.Metadata.DeepClone() });
    }

    /// <summary>Removes every output.</summary>
    public void Clear() => SetState("outputs", new JsonArray());

    /// <inheritdoc/>
    public override string ToString() => $"Output(outputs={Outputs.Count})";

    private void Append(JsonObject output)
    {
        var outputs = Outputs;
        outputs.Add(output);
        SetState("outputs", outputs);
    }
}

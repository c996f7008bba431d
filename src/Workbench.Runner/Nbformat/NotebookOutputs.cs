using Workbench.Notebooks.Mime;
using System.Text.Json.Nodes;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;

namespace Workbench.Runner.Nbformat;

/// <summary>Builds nbformat output objects from what the notebook engine produces.</summary>
public static class NotebookOutputs
{
    /// <summary>A stream output ("stdout" or "stderr").</summary>
    public static JsonObject Stream(string name, string text) => new()
    {
        ["output_type"] = "stream",
        ["name"] = name,
        ["text"] = text,
    };

    /// <summary>A display_data output.</summary>
    public static JsonObject DisplayData(MimeBundle bundle) => new()
    {
        ["output_type"] = "display_data",
        ["data"] = bundle.DataToJson(),
        ["metadata"] = bundle.Metadata.DeepClone(),
    };

    /// <summary>An execute_result output (the value of a cell's trailing expression).</summary>
    public static JsonObject ExecuteResult(MimeBundle bundle, int executionCount) => new()
    {
        ["output_type"] = "execute_result",
        ["execution_count"] = executionCount,
        ["data"] = bundle.DataToJson(),
        ["metadata"] = bundle.Metadata.DeepClone(),
    };

    /// <summary>An error output.</summary>
    public static JsonObject Error(CellError error) => Error(error.Name, error.Value, error.Traceback);

    /// <summary>An error output from its parts.</summary>
    public static JsonObject Error(string name, string value, IEnumerable<string> traceback) => new()
    {
        ["output_type"] = "error",
        ["ename"] = name,
        ["evalue"] = value,
        ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
    };
}

using System.Text.Json.Nodes;

namespace Workbench.Runner.Nbformat;

/// <summary>
/// One cell: its type ("code", "markdown" or "raw"), id, source text, metadata (tags live in <c>metadata.tags</c>) and,
/// for code cells, the execution count and outputs. Outputs are nbformat output objects (stream, display_data,
/// execute_result, error), built with <see cref="NotebookOutputs"/>.
/// </summary>
public sealed class NotebookCell
{
    /// <summary>Creates a cell.</summary>
    public NotebookCell(string cellType, string source, string? id = null)
    {
        CellType = cellType;
        Source = source;
        Id = id ?? NewId();
    }

    /// <summary>"code", "markdown" or "raw".</summary>
    public string CellType { get; set; }

    /// <summary>The cell id (nbformat 4.5): 1–64 letters, digits, '-' or '_'.</summary>
    public string Id { get; set; }

    /// <summary>The source text (nbformat stores it as a list of lines; this is the joined text).</summary>
    public string Source { get; set; }

    /// <summary>Cell metadata, kept as read.</summary>
    public JsonObject Metadata { get; set; } = new();

    /// <summary>For code cells: the execution count, or null when not run.</summary>
    public int? ExecutionCount { get; set; }

    /// <summary>For code cells: the outputs in order.</summary>
    public List<JsonObject> Outputs { get; } = new();

    /// <summary>For markdown and raw cells: attachments (name → MIME bundle), or null.</summary>
    public JsonObject? Attachments { get; set; }

    /// <summary>Cell fields this model does not know, kept for the round trip.</summary>
    public JsonObject Extra { get; } = new();

    /// <summary>True for a code cell.</summary>
    public bool IsCode => CellType == "code";

    /// <summary>The tags in <c>metadata.tags</c>.</summary>
    public IReadOnlyList<string> Tags =>
        Metadata["tags"] is JsonArray tags ? tags.Select(t => t?.GetValue<string>() ?? "").ToList() : [];

    /// <summary>True when <c>metadata.tags</c> contains <paramref name="tag"/>.</summary>
    public bool HasTag(string tag) => Tags.Contains(tag);

    /// <summary>A new code cell.</summary>
    public static NotebookCell Code(string source, params string[] tags)
    {
        var cell = new NotebookCell("code", source);
        if (tags.Length > 0) cell.Metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)).ToArray());
        return cell;
    }

    /// <summary>A new markdown cell.</summary>
    public static NotebookCell Markdown(string source) => new("markdown", source);

    /// <summary>A fresh id as Jupyter makes them: 8 hex digits of a random UUID.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N")[..8];
}

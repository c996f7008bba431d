using System.Text.Json.Nodes;

namespace Workbench.Runner.Nbformat;

/// <summary>
/// An nbformat 4 notebook in memory: notebook metadata, then the cells in order. Written back as nbformat 4.5
/// (every cell has an id). Unknown top-level fields are kept so a read/write round trip loses nothing.
/// </summary>
public sealed class Notebook
{
    /// <summary>The major format version; always 4.</summary>
    public int NbFormat { get; set; } = 4;

    /// <summary>The minor format version; written as at least 5 (cell ids).</summary>
    public int NbFormatMinor { get; set; } = 5;

    /// <summary>Notebook metadata (kernelspec, language_info, …), kept as read.</summary>
    public JsonObject Metadata { get; set; } = new();

    /// <summary>The cells in order.</summary>
    public List<NotebookCell> Cells { get; } = new();

    /// <summary>Top-level fields this model does not know, kept for the round trip.</summary>
    public JsonObject Extra { get; } = new();

    /// <summary>A new empty notebook with the C# kernelspec metadata of the workbench kernel.</summary>
    public static Notebook CreateCSharp() => new()
    {
        Metadata = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = "C# (Workbench)", ["language"] = "csharp", ["name"] = "workbench-csharp" },
            ["language_info"] = new JsonObject { ["file_extension"] = ".cs", ["mimetype"] = "text/x-csharp", ["name"] = "csharp" },
        },
    };
}

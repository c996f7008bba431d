using System.Text.Json.Nodes;
using Workbench.Notebooks.Languages;
using Workbench.Runner.Nbformat;

namespace Workbench.Runner.Polyglot;

/// <summary>
/// The languages of a polyglot notebook as Polyglot Notebooks (VS Code) and .NET Interactive store them in .ipynb:
/// each code cell's kernel in <c>metadata.polyglot_notebook.kernelName</c> (older files: <c>metadata.dotnet_interactive.language</c>,
/// which despite its name holds the kernel name too), and the notebook's kernels in <c>metadata.polyglot_notebook.kernelInfo</c>.
/// </summary>
public static class PolyglotMetadata
{
    /// <summary>The metadata key Polyglot Notebooks uses.</summary>
    public const string Key = "polyglot_notebook";

    /// <summary>The key older .NET Interactive versions used.</summary>
    public const string LegacyKey = "dotnet_interactive";

    /// <summary>The kernel a cell's metadata names (<c>polyglot_notebook.kernelName</c> before <c>dotnet_interactive.language</c>), or null.</summary>
    public static string? CellKernelName(JsonObject cellMetadata) =>
        NonEmpty(JsonText.String((cellMetadata[Key] as JsonObject)?["kernelName"]))
        ?? NonEmpty(JsonText.String((cellMetadata[LegacyKey] as JsonObject)?["language"]));

    /// <summary>The kernel a cell's metadata names, or null.</summary>
    public static string? CellKernelName(NotebookCell cell) => CellKernelName(cell.Metadata);

    /// <summary>Sets the cell's kernel in <c>polyglot_notebook.kernelName</c> (and in <c>dotnet_interactive.language</c> when the cell has that).</summary>
    public static void SetCellKernelName(NotebookCell cell, string kernelName)
    {
        if (cell.Metadata[Key] is not JsonObject polyglot) cell.Metadata[Key] = polyglot = new JsonObject();
        polyglot["kernelName"] = kernelName;
        if (cell.Metadata[LegacyKey] is JsonObject legacy) legacy["language"] = kernelName;
    }

    /// <summary>The notebook's <c>polyglot_notebook.kernelInfo</c> (or the one at the top of the metadata, as older files have it), or null.</summary>
    public static DocumentKernelInfoCollection? KernelInfo(Notebook notebook)
    {
        var node = (notebook.Metadata[Key] as JsonObject)?["kernelInfo"] ?? notebook.Metadata["kernelInfo"];
        return node is JsonObject ? DocumentKernelInfoCollection.FromJson(node, out _) : null;
    }

    /// <summary>
    /// The kernel of cells whose metadata names none, as Polyglot Notebooks decides it: <c>kernelInfo.defaultKernelName</c>,
    /// else the kernel of a <c>.net-X</c> kernelspec (the kernelspecs <c>dotnet interactive jupyter install</c> writes), else null.
    /// </summary>
    public static string? DefaultKernelName(Notebook notebook)
    {
        if (NonEmpty(KernelInfo(notebook)?.DefaultKernelName) is { } name) return name;
        if (NonEmpty(JsonText.String((notebook.Metadata[Key] as JsonObject)?["defaultKernelName"])) is { } flat) return flat;
        var spec = JsonText.String((notebook.Metadata["kernelspec"] as JsonObject)?["name"]);
        return spec is not null && spec.StartsWith(".net-", StringComparison.Ordinal) && spec.Length > 5 ? spec[5..] : null;
    }

    /// <summary>The kernel a code cell runs on: its metadata's, else the notebook's default, else null (the session's default).</summary>
    public static string? EffectiveKernelName(Notebook notebook, NotebookCell cell) => CellKernelName(cell) ?? DefaultKernelName(notebook);

    /// <summary>
    /// Records the kernels in the notebook's metadata as VS Code does after running it: <c>kernelInfo</c> keeps the
    /// kernels it listed and gains those of <paramref name="kernels"/> (sorted by name; the default kernel stays
    /// unless there was none).
    /// </summary>
    public static void SetKernelInfo(Notebook notebook, IEnumerable<LanguageKernelInfo> kernels, string defaultKernelName)
    {
        var existing = KernelInfo(notebook) ?? new DocumentKernelInfoCollection();
        var merged = new DocumentKernelInfoCollection { DefaultKernelName = NonEmpty(existing.DefaultKernelName) ?? defaultKernelName };
        var known = kernels.ToDictionary(k => k.Name, StringComparer.Ordinal);
        foreach (var item in existing.Items)
            merged.TryAdd(known.Remove(item.Name, out var live) ? FromSession(live) : item);
        foreach (var live in known.Values)
            if (!merged.TryAdd(FromSession(live))) merged.TryAdd(new DocumentKernelInfo(live.Name, live.LanguageName, []));
        if (notebook.Metadata[Key] is not JsonObject polyglot) notebook.Metadata[Key] = polyglot = new JsonObject();
        polyglot["kernelInfo"] = merged.ToNotebookJson();
    }

    private static DocumentKernelInfo FromSession(LanguageKernelInfo info) =>
        new(info.Name, info.LanguageName, info.Aliases.Where(a => a != info.Name).Distinct(StringComparer.Ordinal).ToList());

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}

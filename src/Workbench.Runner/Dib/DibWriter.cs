using System.Text.Json.Nodes;
using Workbench.Runner.Nbformat;
using Workbench.Runner.Polyglot;

namespace Workbench.Runner.Dib;

/// <summary>
/// Writes notebooks as .dib text exactly as Polyglot Notebooks saves them: a <c>#!meta</c> block with the compact
/// JSON of the notebook's <c>kernelInfo</c> (its kernels, then the well-known kernels it lacks) and other metadata,
/// then each non-empty cell as <c>#!kernel</c>, an empty line, its text without leading or trailing empty lines,
/// and an empty line. Outputs are not stored. Markdown (and raw) cells become <c>#!markdown</c>; code cells take
/// the kernel of their metadata, else the notebook's default kernel, else C#.
/// </summary>
public static class DibWriter
{
    // Notebook metadata that belongs to Jupyter or to the ipynb form of the Polyglot metadata, not to #!meta.
    private static readonly HashSet<string> NotebookOnlyKeys = ["kernelspec", "language_info", PolyglotMetadata.Key, PolyglotMetadata.LegacyKey];

    /// <summary>Writes <paramref name="notebook"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(Notebook notebook, string path, string newline = "\n") =>
        NotebookWriter.WriteAllTextAtomic(path, Serialize(notebook, newline));

    /// <summary>The notebook as .dib text, lines ending in <paramref name="newline"/> ("\n" or "\r\n").</summary>
    public static string Serialize(Notebook notebook, string newline = "\n")
    {
        if (newline is not ("\n" or "\r\n")) throw new ArgumentException("newline must be \"\\n\" or \"\\r\\n\"", nameof(newline));
        var kernelInfo = PolyglotMetadata.KernelInfo(notebook)?.Clone() ?? new DocumentKernelInfoCollection();
        kernelInfo.AddMissing(DocumentKernelInfoCollection.WellKnown);
        var names = kernelInfo.Clone();
        names.TryAdd(new DocumentKernelInfo("markdown", "Markdown", ["md"]));

        var meta = new JsonObject { ["kernelInfo"] = kernelInfo.ToDibJson() };
        foreach (var (key, value) in notebook.Metadata)
            if (!NotebookOnlyKeys.Contains(key) && key != "kernelInfo") meta[key] = value?.DeepClone();

        var lines = new List<string> { "#!meta", "", meta.ToJsonString(JsonText.Compact), "" };
        var defaultKernel = PolyglotMetadata.DefaultKernelName(notebook) ?? "csharp";
        foreach (var cell in notebook.Cells)
        {
            var body = cell.Source.Length == 0 ? [] : cell.Source.Split(["\r\n", "\n"], StringSplitOptions.None).SkipWhile(l => l.Length == 0).ToList();
            while (body.Count > 0 && body[^1].Length == 0) body.RemoveAt(body.Count - 1);
            if (body.Count == 0) continue;
            var kernel = cell.IsCode ? PolyglotMetadata.CellKernelName(cell) ?? defaultKernel : "markdown";
            if (names.TryResolve(kernel, out var info)) kernel = info.Name;
            lines.Add("#!" + kernel);
            lines.Add("");
            lines.AddRange(body);
            lines.Add("");
        }
        return string.Join(newline, lines);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Runner.Nbformat;
using Workbench.Runner.Polyglot;

namespace Workbench.Runner.Dib;

/// <summary>
/// Reads .dib files, the plain-text notebooks of Polyglot Notebooks, the way its own parser splits them: an optional
/// <c>#!meta</c> block (the JSON up to the next <c>#!</c> line: <c>kernelInfo</c> and any other metadata), then cells,
/// each starting at a line <c>#!name</c> that names a kernel exactly (a name or alias of the well-known kernels, of
/// <c>markdown</c>/<c>md</c>, or of the file's <c>kernelInfo</c>). Other <c>#!</c> lines (magics, <c>#!csharp --x</c>,
/// other case) stay in the cell. Empty lines around a cell are dropped, text before the first separator is C#, and a
/// file with no cell holds one empty C# cell. The result is an nbformat notebook: <c>#!markdown</c> cells become
/// Markdown cells, the others code cells with the kernel in <c>metadata.polyglot_notebook.kernelName</c>; the kernel
/// list goes to <c>metadata.polyglot_notebook.kernelInfo</c> (in file order) and other <c>#!meta</c> keys to the
/// notebook metadata. Malformed files (invalid UTF-8, NUL bytes, a <c>#!meta</c> block that is not a JSON object with
/// a well-formed <c>kernelInfo</c>) are a <see cref="NotebookFormatException"/> naming the file and line.
/// </summary>
public static class DibReader
{
    private const string MetaPrefix = "#!meta";
    private const string DefaultKernel = "csharp";

    /// <summary>Reads a .dib file.</summary>
    public static Notebook Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotebookFormatException(path, $"cannot read the file: {e.Message}", e);
        }
        return Parse(Decode(bytes, path), path);
    }

    /// <summary>Decodes .dib bytes as strict UTF-8 (a leading byte-order mark is dropped); invalid bytes are an error naming the line.</summary>
    public static string Decode(byte[] bytes, string sourceName)
    {
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            var offset = start + Math.Max(0, e.Index);
            var line = 1 + bytes.AsSpan(0, Math.Min(offset, bytes.Length)).Count((byte)'\n');
            throw new NotebookFormatException(sourceName, $"line {line}: invalid UTF-8 (a .dib file is UTF-8 text)", e);
        }
    }

    /// <summary>"\r\n" when the text's first line ends that way, else "\n": the line end to write it back with.</summary>
    public static string DetectNewline(string text)
    {
        var lf = text.IndexOf('\n');
        return lf > 0 && text[lf - 1] == '\r' ? "\r\n" : "\n";
    }

    /// <summary>Parses .dib text; <paramref name="sourceName"/> names it in errors.</summary>
    public static Notebook Parse(string text, string sourceName)
    {
        var nul = text.IndexOf('\0');
        if (nul >= 0) throw Fail(sourceName, LineOf(text, nul), "a NUL character (a .dib file is text; is this a binary file?)");

        var lines = text.Length == 0 ? [] : text.Split(["\r\n", "\n"], StringSplitOptions.None);
        var kernels = new DocumentKernelInfoCollection();
        foreach (var info in DocumentKernelInfoCollection.WellKnown) kernels.TryAdd(info);
        kernels.TryAdd(new DocumentKernelInfo("markdown", "Markdown", ["md"]));

        var cells = new List<(string Kernel, string Contents)>();
        JsonObject? meta = null;
        DocumentKernelInfoCollection? fileKernels = null;
        var kernel = DefaultKernel;
        var current = new List<string>();

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (meta is null && line.StartsWith(MetaPrefix, StringComparison.Ordinal))
            {
                var metaLine = i + 1;
                var json = new StringBuilder();
                var reachedSeparator = false;
                while (i < lines.Length - 1)
                {
                    line = lines[++i];
                    if (line.StartsWith("#!", StringComparison.Ordinal)) { reachedSeparator = true; break; }
                    json.Append(line).Append('\n');
                }
                meta = ParseMeta(json.ToString(), metaLine, sourceName);
                // "kernelInfo": null says no more than a missing kernelInfo.
                if (meta.TryGetPropertyValue("kernelInfo", out var kernelInfo) && kernelInfo is not null)
                {
                    fileKernels = DocumentKernelInfoCollection.FromJson(kernelInfo, out var problem);
                    if (problem is not null) throw Fail(sourceName, metaLine, $"#!meta: {problem}");
                    foreach (var info in fileKernels.Items)
                        if (!kernels.ContainsName(info.Name) && !kernels.TryAdd(info))
                            throw Fail(sourceName, metaLine, $"#!meta: kernel '{info.Name}' has a name or alias that already names another kernel");
                }
                if (!reachedSeparator) continue;
            }

            if (line.StartsWith("#!", StringComparison.Ordinal) && kernels.TryResolve(line[2..], out var selected))
            {
                AddCell();
                kernel = selected.Name;
                current.Clear();
            }
            else
            {
                current.Add(line);
            }
        }
        AddCell();
        if (cells.Count == 0) cells.Add((kernel, ""));

        return ToNotebook(cells, meta, fileKernels);

        void AddCell()
        {
            var first = current.FindIndex(l => l.Length > 0);
            if (first < 0) return;
            var last = current.FindLastIndex(l => l.Length > 0);
            cells.Add((kernel, string.Join("\n", current.Skip(first).Take(last - first + 1))));
        }
    }

    private static JsonObject ParseMeta(string json, int metaLine, string sourceName)
    {
        if (json.Trim().Length == 0) throw Fail(sourceName, metaLine, "the #!meta block holds no JSON (expected {\"kernelInfo\": …} before the next #! line)");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            var line = metaLine + 1 + (int)(e.LineNumber ?? 0);
            var message = e.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) message = message[..cut].TrimEnd(' ', '.') + ".";
            throw Fail(sourceName, line, $"invalid JSON in the #!meta block (position {(e.BytePositionInLine ?? 0) + 1}): {message}");
        }
        return node as JsonObject ?? throw Fail(sourceName, metaLine, $"the #!meta block must be a JSON object, got {JsonText.Kind(node)}");
    }

    private static Notebook ToNotebook(List<(string Kernel, string Contents)> cells, JsonObject? meta, DocumentKernelInfoCollection? fileKernels)
    {
        var notebook = Notebook.CreateCSharp();
        var polyglot = new JsonObject();
        if (fileKernels is not null) polyglot["kernelInfo"] = meta!["kernelInfo"]!.DeepClone();
        if (meta is not null)
            foreach (var (key, value) in meta)
                if (key != "kernelInfo") notebook.Metadata[key] = value?.DeepClone();
        if (polyglot.Count > 0) notebook.Metadata[PolyglotMetadata.Key] = polyglot;

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < cells.Count; i++)
        {
            var (kernel, contents) = cells[i];
            var id = StableId(i, kernel, contents, ids);
            if (kernel == "markdown")
            {
                notebook.Cells.Add(new NotebookCell("markdown", contents, id));
                continue;
            }
            var cell = new NotebookCell("code", contents, id);
            PolyglotMetadata.SetCellKernelName(cell, kernel);
            notebook.Cells.Add(cell);
        }
        return notebook;
    }

    // Converting the same file twice gives the same notebook: ids come from the cell, not from a random source.
    private static string StableId(int index, string kernel, string contents, HashSet<string> taken)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{index}\n{kernel}\n{contents}"));
        var id = Convert.ToHexStringLower(hash)[..8];
        while (!taken.Add(id)) id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..8];
        return id;
    }

    private static int LineOf(string text, int index) => 1 + text.AsSpan(0, index).Count('\n');

    private static NotebookFormatException Fail(string file, int line, string problem) => new(file, $"line {line}: {problem}");
}

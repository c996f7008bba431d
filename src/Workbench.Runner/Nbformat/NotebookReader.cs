using Workbench.Runner.Polyglot;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workbench.Runner.Nbformat;

/// <summary>
/// Reads nbformat 4 notebooks (any 4.x minor; cells without ids get new ones). Anything else is a
/// <see cref="NotebookFormatException"/> naming the file and the problem: invalid JSON (with line and position),
/// another major version, a missing or mistyped field (with the cell number). Reading never changes the file.
/// </summary>
public static partial class NotebookReader
{
    private static readonly string[] CellTypes = ["code", "markdown", "raw"];

    /// <summary>Reads a notebook file.</summary>
    public static Notebook Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotebookFormatException(path, $"cannot read the file: {e.Message}", e);
        }
        return Parse(DecodeStrict(bytes, path), path);
    }

    // Notebooks are UTF-8 (nbformat). Invalid bytes are refused, naming the first one: decoding them as U+FFFD would
    // lose them for good when the notebook is written back (notebook run --inplace).
    private static string DecodeStrict(byte[] bytes, string path)
    {
        int start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var chars = new char[bytes.Length];
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes.AsSpan(start), chars, out int read, out int written, replaceInvalidSequences: false);
        if (status == System.Buffers.OperationStatus.InvalidData)
            throw new NotebookFormatException(path, $"not valid UTF-8: byte {start + read} (0x{bytes[start + read]:X2}) does not start or continue a character; the file was left as it is");
        return new string(chars, 0, written);
    }

    private static JsonNode? ToNode(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var node = new JsonObject();
                foreach (var property in element.EnumerateObject()) node[property.Name] = ToNode(property.Value);
                return node;
            case JsonValueKind.Array:
                return new JsonArray(element.EnumerateArray().Select(ToNode).ToArray());
            default:
                return JsonValue.Create(element.Clone());
        }
    }

    /// <summary>Parses notebook JSON; <paramref name="sourceName"/> names it in errors.</summary>
    public static Notebook Parse(string json, string sourceName)
    {
        JsonNode? root;
        try
        {
            // Through JsonDocument, which accepts repeated keys, then last one wins, as Jupyter's json.loads does
            // (JsonNode.Parse refuses the whole file instead).
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
            root = ToNode(document.RootElement);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1}" : "";
            throw new NotebookFormatException(sourceName, $"invalid JSON{where}: {FirstSentence(e.Message)}", e);
        }
        if (root is not JsonObject top) throw Fail(sourceName, "the top level is not a JSON object");

        if (!top.TryGetPropertyValue("nbformat", out var major) || major is null)
            throw Fail(sourceName, "missing field 'nbformat' (is this a Jupyter notebook?)");
        if (!TryInt(major, out var version))
            throw Fail(sourceName, $"'nbformat' must be an integer, got {JsonText.Kind(major)}");
        if (version != 4)
            throw Fail(sourceName, $"nbformat {version} is not supported: only nbformat 4 is (convert it with 'jupyter nbconvert --to notebook --nbformat 4')");
        if (!top.TryGetPropertyValue("nbformat_minor", out var minorNode) || minorNode is null)
            throw Fail(sourceName, "missing field 'nbformat_minor'");
        if (!TryInt(minorNode, out var minor) || minor < 0)
            throw Fail(sourceName, $"'nbformat_minor' must be a non-negative integer, got {Describe(minorNode)}");
        if (!top.TryGetPropertyValue("metadata", out var metadata) || metadata is null)
            throw Fail(sourceName, "missing field 'metadata'");
        if (metadata is not JsonObject metadataObject) throw Fail(sourceName, $"'metadata' must be an object, got {JsonText.Kind(metadata)}");
        if (!top.TryGetPropertyValue("cells", out var cellsNode) || cellsNode is null)
            throw Fail(sourceName, "missing field 'cells'");
        if (cellsNode is not JsonArray cells) throw Fail(sourceName, $"'cells' must be a list, got {JsonText.Kind(cellsNode)}");

        var notebook = new Notebook { NbFormat = 4, NbFormatMinor = minor, Metadata = (JsonObject)metadataObject.DeepClone() };
        foreach (var (key, value) in top)
            if (key is not ("nbformat" or "nbformat_minor" or "metadata" or "cells")) notebook.Extra[key] = value?.DeepClone();

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = ReadCell(cells[i], i + 1, sourceName);
            if (!ids.Add(cell.Id)) throw Fail(sourceName, $"cell {i + 1}: duplicate cell id '{cell.Id}'");
            notebook.Cells.Add(cell);
        }
        return notebook;
    }

    private static NotebookCell ReadCell(JsonNode? node, int number, string file)
    {
        if (node is not JsonObject obj) throw Fail(file, $"cell {number} is not a JSON object, got {JsonText.Kind(node)}");
        if (!obj.TryGetPropertyValue("cell_type", out var typeNode) || typeNode is null)
            throw Fail(file, $"cell {number}: missing field 'cell_type'");
        var type = typeNode is JsonValue tv && tv.TryGetValue<string>(out var t) ? t : null;
        if (type is null || !CellTypes.Contains(type))
            throw Fail(file, $"cell {number}: 'cell_type' must be \"code\", \"markdown\" or \"raw\", got {Describe(typeNode)}");
        if (!obj.TryGetPropertyValue("source", out var sourceNode) || sourceNode is null)
            throw Fail(file, $"cell {number} ({type}): missing field 'source'");
        var source = MultilineText(sourceNode)
            ?? throw Fail(file, $"cell {number} ({type}): 'source' must be a string or a list of strings, got {Describe(sourceNode)}");

        string? id = null;
        if (obj.TryGetPropertyValue("id", out var idNode) && idNode is not null)
        {
            id = idNode is JsonValue iv && iv.TryGetValue<string>(out var s) ? s : null;
            if (id is null || !IdPattern().IsMatch(id))
                throw Fail(file, $"cell {number} ({type}): 'id' must be 1-64 letters, digits, '-' or '_', got {Describe(idNode)}");
        }
        var cell = new NotebookCell(type, source, id);

        if (obj.TryGetPropertyValue("metadata", out var meta) && meta is not null)
            cell.Metadata = meta as JsonObject ?? throw Fail(file, $"cell {number} ({type}): 'metadata' must be an object, got {JsonText.Kind(meta)}");
        cell.Metadata = (JsonObject)cell.Metadata.DeepClone();
        if (cell.Metadata["tags"] is { } tags && (tags is not JsonArray arr || arr.Any(x => x is not JsonValue v || !v.TryGetValue<string>(out _))))
            throw Fail(file, $"cell {number} ({type}): 'metadata.tags' must be a list of strings");

        if (type == "code")
        {
            if (obj.TryGetPropertyValue("execution_count", out var count) && count is not null)
            {
                if (!TryInt(count, out var n)) throw Fail(file, $"cell {number} (code): 'execution_count' must be an integer or null, got {Describe(count)}");
                cell.ExecutionCount = n;
            }
            if (obj.TryGetPropertyValue("outputs", out var outputs) && outputs is not null)
            {
                if (outputs is not JsonArray list) throw Fail(file, $"cell {number} (code): 'outputs' must be a list, got {JsonText.Kind(outputs)}");
                for (var o = 0; o < list.Count; o++)
                    cell.Outputs.Add(ReadOutput(list[o], number, o + 1, file));
            }
        }
        if (obj.TryGetPropertyValue("attachments", out var attachments) && attachments is not null)
            cell.Attachments = attachments as JsonObject ?? throw Fail(file, $"cell {number} ({type}): 'attachments' must be an object");
        if (cell.Attachments is not null) cell.Attachments = (JsonObject)cell.Attachments.DeepClone();

        foreach (var (key, value) in obj)
            if (key is not ("cell_type" or "source" or "id" or "metadata" or "execution_count" or "outputs" or "attachments"))
                cell.Extra[key] = value?.DeepClone();
        return cell;
    }

    private static JsonObject ReadOutput(JsonNode? node, int cell, int number, string file)
    {
        var where = $"cell {cell} (code), output {number}";
        if (node is not JsonObject obj) throw Fail(file, $"{where} is not a JSON object");
        var type = obj["output_type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
        var output = (JsonObject)obj.DeepClone();
        switch (type)
        {
            case "stream":
                if (obj["name"] is not JsonValue name || !name.TryGetValue<string>(out _))
                    throw Fail(file, $"{where} (stream): 'name' must be a string (stdout or stderr), got {Describe(obj["name"])}");
                output["text"] = MultilineText(obj["text"]) ?? throw Fail(file, $"{where} (stream): 'text' must be a string or a list of strings");
                break;
            case "display_data" or "execute_result":
                if (obj["data"] is not JsonObject data) throw Fail(file, $"{where} ({type}): missing object 'data'");
                var joined = new JsonObject();
                foreach (var (mime, value) in data)
                    joined[mime] = value is JsonArray lines && MultilineText(lines) is { } text ? JsonValue.Create(text) : value?.DeepClone();
                output["data"] = joined;
                output["metadata"] ??= new JsonObject();
                break;
            case "error":
                if (obj["traceback"] is not JsonArray traceback) throw Fail(file, $"{where} (error): missing list 'traceback'");
                foreach (var field in new[] { "ename", "evalue" })
                    if (obj[field] is not JsonValue text || !text.TryGetValue<string>(out _))
                        throw Fail(file, $"{where} (error): '{field}' must be a string, got {Describe(obj[field])}");
                if (traceback.Any(line => line is not JsonValue l || !l.TryGetValue<string>(out _)))
                    throw Fail(file, $"{where} (error): 'traceback' must be a list of strings");
                break;
            default:
                throw Fail(file, $"{where}: 'output_type' must be stream, display_data, execute_result or error, got {Describe(obj["output_type"])}");
        }
        return output;
    }

    /// <summary>A string, or a list of strings joined; null for anything else.</summary>
    internal static string? MultilineText(JsonNode? node)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        if (node is not JsonArray list) return null;
        var sb = new System.Text.StringBuilder();
        foreach (var item in list)
        {
            if (item is not JsonValue iv || !iv.TryGetValue<string>(out var line)) return null;
            sb.Append(line);
        }
        return sb.ToString();
    }

    private static bool TryInt(JsonNode node, out int value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out value);
    }

    private static string Describe(JsonNode? node)
    {
        if (node is JsonArray a && a.Any(x => x is not JsonValue xv || xv.GetValueKind() != JsonValueKind.String))
            return "a list containing " + JsonText.Kind(a.First(x => x is not JsonValue xv || xv.GetValueKind() != JsonValueKind.String));
        var text = node?.ToJsonString() ?? "null";
        return node is JsonValue ? $"{JsonText.Kind(node)} {(text.Length > 40 ? text[..40] + "…" : text)}" : JsonText.Kind(node);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static NotebookFormatException Fail(string file, string problem) => new(file, problem);

    [GeneratedRegex("^[a-zA-Z0-9-_]{1,64}$")]
    private static partial Regex IdPattern();
}

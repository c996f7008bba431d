using Workbench.IO;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Runner.Nbformat;

/// <summary>
/// Writes nbformat 4.5 the way Jupyter does (sorted keys, 1-space indent, non-ASCII kept, sources and text outputs
/// as lists of lines, a final newline), so a notebook saved by Jupyter and rewritten here diffs only where it changed.
/// Files are written atomically: a temporary file in the same folder, flushed, then renamed over the target.
/// </summary>
public static class NotebookWriter
{
    // MIME types whose string values Jupyter stores as line lists (text/* too); others (base64 images, JSON) stay whole.
    private static readonly HashSet<string> SplitMimeTypes = ["application/javascript", "image/svg+xml"];

    /// <summary>Writes <paramref name="notebook"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(Notebook notebook, string path) => WriteAllTextAtomic(path, Serialize(notebook));

    /// <summary>The notebook as nbformat 4.5 JSON text.</summary>
    public static string Serialize(Notebook notebook)
    {
        var sb = new StringBuilder();
        WriteNode(sb, ToJson(notebook), 0);
        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>The notebook as an nbformat 4.5 JSON object (sources and text outputs split into lines).</summary>
    public static JsonObject ToJson(Notebook notebook)
    {
        var cells = new JsonArray();
        foreach (var cell in notebook.Cells) cells.Add(CellJson(cell));
        var top = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = notebook.Metadata.DeepClone(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = Math.Max(5, notebook.NbFormatMinor),
        };
        foreach (var (key, value) in notebook.Extra) top[key] = value?.DeepClone();
        return top;
    }

    /// <summary>Writes text to <paramref name="path"/> through a temporary file in the same folder and a rename.</summary>
    public static void WriteAllTextAtomic(string path, string text) => AtomicFile.WriteText(path, writer => writer.Write(text));

    private static JsonObject CellJson(NotebookCell cell)
    {
        var obj = new JsonObject
        {
            ["cell_type"] = cell.CellType,
            ["id"] = cell.Id,
            ["metadata"] = cell.Metadata.DeepClone(),
            ["source"] = Lines(cell.Source),
        };
        if (cell.IsCode)
        {
            obj["execution_count"] = cell.ExecutionCount is { } n ? JsonValue.Create(n) : null;
            var outputs = new JsonArray();
            foreach (var output in cell.Outputs) outputs.Add(OutputJson(output));
            obj["outputs"] = outputs;
        }
        if (cell.Attachments is not null)
        {
            var attachments = new JsonObject();
            foreach (var (name, bundle) in cell.Attachments)
                attachments[name] = bundle is JsonObject b ? SplitBundle(b) : bundle?.DeepClone();
            obj["attachments"] = attachments;
        }
        foreach (var (key, value) in cell.Extra) obj[key] = value?.DeepClone();
        return obj;
    }

    private static JsonObject OutputJson(JsonObject output)
    {
        var copy = (JsonObject)output.DeepClone();
        copy.Remove("transient"); // wire-only (display ids); nbformat does not store it
        switch (copy["output_type"]?.GetValue<string>())
        {
            case "stream" when copy["text"] is JsonValue v && v.TryGetValue<string>(out var text):
                copy["text"] = Lines(text);
                break;
            case "display_data" or "execute_result" when copy["data"] is JsonObject data:
                copy["data"] = SplitBundle(data);
                copy["metadata"] ??= new JsonObject();
                break;
        }
        return copy;
    }

    private static JsonObject SplitBundle(JsonObject data)
    {
        var split = new JsonObject();
        foreach (var (mime, value) in data)
            split[mime] = (mime.StartsWith("text/", StringComparison.Ordinal) || SplitMimeTypes.Contains(mime))
                && value is JsonValue v && v.TryGetValue<string>(out var s)
                ? Lines(s)
                : value?.DeepClone();
        return split;
    }

    /// <summary>Text as Jupyter's line list: each line keeps its "\n"; the last has none when the text does not end in one.</summary>
    internal static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            var stop = end < 0 ? text.Length : end + 1;
            lines.Add(text[start..stop]);
            start = stop;
        }
        return lines;
    }

    // Python's json.dumps(sort_keys=True, indent=1, ensure_ascii=False), which nbformat uses.
    private static void WriteNode(StringBuilder sb, JsonNode? node, int indent)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                if (obj.Count == 0) { sb.Append("{}"); break; }
                sb.Append("{\n");
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(",\n");
                    first = false;
                    sb.Append(' ', indent + 1);
                    WriteString(sb, key);
                    sb.Append(": ");
                    WriteNode(sb, value, indent + 1);
                }
                sb.Append('\n').Append(' ', indent).Append('}');
                break;
            case JsonArray array:
                if (array.Count == 0) { sb.Append("[]"); break; }
                sb.Append("[\n");
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) sb.Append(",\n");
                    sb.Append(' ', indent + 1);
                    WriteNode(sb, array[i], indent + 1);
                }
                sb.Append('\n').Append(' ', indent).Append(']');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String: WriteString(sb, value.GetValue<string>()); break;
                    case JsonValueKind.True: sb.Append("true"); break;
                    case JsonValueKind.False: sb.Append("false"); break;
                    case JsonValueKind.Null: sb.Append("null"); break;
                    case JsonValueKind.Number: sb.Append(NumberText(value)); break;
                    default: sb.Append(value.ToJsonString()); break;
                }
                break;
        }
    }

    private static string NumberText(JsonValue value)
    {
        // Doubles that hold an integer print as "1.0" in Python; keep the parsed text otherwise.
        if (value.TryGetValue<double>(out var d) && value.ToJsonString() is var text
            && !text.Contains('.') && !text.Contains('e') && !text.Contains('E')
            && !value.TryGetValue<long>(out _) && !value.TryGetValue<int>(out _))
            return d.ToString("R", CultureInfo.InvariantCulture) + ".0";
        return value.ToJsonString();
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}

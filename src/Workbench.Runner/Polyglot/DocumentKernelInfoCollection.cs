using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Runner.Polyglot;

/// <summary>
/// A notebook's <c>kernelInfo</c> as Polyglot Notebooks stores it (<c>metadata.polyglot_notebook.kernelInfo</c> in
/// .ipynb, the <c>#!meta</c> block of .dib): the default kernel and the kernels cells may name. Names and aliases are
/// matched case-sensitively, as .NET Interactive does, and each may belong to one kernel only.
/// </summary>
public sealed class DocumentKernelInfoCollection
{
    private readonly List<DocumentKernelInfo> _items = new();
    private readonly Dictionary<string, DocumentKernelInfo> _byName = new(StringComparer.Ordinal);

    /// <summary>The kernel of cells that name none; null when the file gives none.</summary>
    public string? DefaultKernelName { get; set; }

    /// <summary>The kernels in file order.</summary>
    public IReadOnlyList<DocumentKernelInfo> Items => _items;

    /// <summary>
    /// The kernels the Polyglot Notebooks parser reads and writes .dib files with (besides those a file lists): its
    /// cell separators, and the items it adds to every <c>#!meta</c> block it writes.
    /// </summary>
    public static IReadOnlyList<DocumentKernelInfo> WellKnown { get; } =
    [
        new("csharp", "C#", ["c#", "cs"]),
        new("fsharp", "F#", ["f#", "fs"]),
        new("html", "HTML", []),
        new("http", "HTTP", []),
        new("javascript", "JavaScript", ["js"]),
        new("mermaid", "Mermaid", []),
        new("pwsh", "PowerShell", ["powershell"]),
        new("value", null, []),
    ];

    /// <summary>Adds a kernel; false (and nothing added) when its name or an alias already names another kernel.</summary>
    public bool TryAdd(DocumentKernelInfo info)
    {
        if (info.Names.Any(_byName.ContainsKey) || info.Names.Distinct(StringComparer.Ordinal).Count() != info.Names.Count()) return false;
        _items.Add(info);
        foreach (var name in info.Names) _byName[name] = info;
        return true;
    }

    /// <summary>True when <paramref name="nameOrAlias"/> (exact case) names a kernel here.</summary>
    public bool TryResolve(string nameOrAlias, out DocumentKernelInfo info) => _byName.TryGetValue(nameOrAlias, out info!);

    /// <summary>True when a kernel is named <paramref name="name"/> (its name, not an alias).</summary>
    public bool ContainsName(string name) => _items.Any(i => i.Name == name);

    /// <summary>Adds the kernels of <paramref name="others"/> whose names are not here yet (in their order), as Polyglot merges kernel lists.</summary>
    public void AddMissing(IEnumerable<DocumentKernelInfo> others)
    {
        foreach (var info in others)
            if (!ContainsName(info.Name)) TryAdd(info);
    }

    /// <summary>A copy.</summary>
    public DocumentKernelInfoCollection Clone()
    {
        var copy = new DocumentKernelInfoCollection { DefaultKernelName = DefaultKernelName };
        foreach (var item in _items) copy.TryAdd(item);
        return copy;
    }

    /// <summary>
    /// Reads a <c>kernelInfo</c> object. <paramref name="problem"/> receives what is wrong with it (null when nothing
    /// is); items that are wrong are left out.
    /// </summary>
    public static DocumentKernelInfoCollection FromJson(JsonNode? node, out string? problem)
    {
        problem = null;
        var collection = new DocumentKernelInfoCollection();
        if (node is not JsonObject obj)
        {
            if (node is not null) problem = $"'kernelInfo' must be an object, got {JsonText.Kind(node)}";
            return collection;
        }
        if (obj["defaultKernelName"] is { } name)
        {
            if (JsonText.String(name) is { } s) collection.DefaultKernelName = s;
            else problem ??= $"'kernelInfo.defaultKernelName' must be a string, got {JsonText.Kind(name)}";
        }
        if (obj["items"] is null) return collection;
        if (obj["items"] is not JsonArray items)
        {
            problem ??= $"'kernelInfo.items' must be a list, got {JsonText.Kind(obj["items"])}";
            return collection;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var where = $"kernelInfo.items[{i}]";
            if (items[i] is not JsonObject item) { problem ??= $"'{where}' must be an object, got {JsonText.Kind(items[i])}"; continue; }
            var itemName = JsonText.String(item["name"]);
            if (!IsValidName(itemName)) { problem ??= $"'{where}.name' must be a kernel name (not empty, not starting with '#'), got {JsonText.Describe(item["name"])}"; continue; }
            string? language = null;
            if (item["languageName"] is { } languageNode)
            {
                language = JsonText.String(languageNode);
                if (language is null) { problem ??= $"'{where}.languageName' must be a string or null, got {JsonText.Kind(languageNode)}"; continue; }
            }
            var aliases = new List<string>();
            if (item["aliases"] is { } aliasNode)
            {
                if (aliasNode is not JsonArray list || list.Any(a => !IsValidName(JsonText.String(a))))
                {
                    problem ??= $"'{where}.aliases' must be a list of kernel names (not empty, not starting with '#')";
                    continue;
                }
                aliases.AddRange(list.Select(a => JsonText.String(a)!));
            }
            if (!collection.TryAdd(new DocumentKernelInfo(itemName!, language, aliases)))
                problem ??= $"'{where}': the name or an alias of '{itemName}' already names another kernel";
        }
        return collection;
    }

    /// <summary>
    /// The object VS Code's Polyglot extension stores in .ipynb metadata: items with <c>aliases</c> (always),
    /// <c>languageName</c> (when known) and <c>name</c>, sorted by name.
    /// </summary>
    public JsonObject ToNotebookJson()
    {
        var items = new JsonArray();
        foreach (var item in _items.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var obj = new JsonObject { ["aliases"] = new JsonArray(item.Aliases.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()) };
            if (item.LanguageName is not null) obj["languageName"] = item.LanguageName;
            obj["name"] = item.Name;
            items.Add(obj);
        }
        return new JsonObject { ["defaultKernelName"] = DefaultKernelName, ["items"] = items };
    }

    /// <summary>
    /// The object as the .NET Interactive document writer puts it in a .dib <c>#!meta</c> block: items in their order
    /// with <c>name</c>, then <c>languageName</c> and <c>aliases</c> only when there are any.
    /// </summary>
    public JsonObject ToDibJson()
    {
        var items = new JsonArray();
        foreach (var item in _items)
        {
            var obj = new JsonObject { ["name"] = item.Name };
            if (item.LanguageName is not null) obj["languageName"] = item.LanguageName;
            if (item.Aliases.Count > 0) obj["aliases"] = new JsonArray(item.Aliases.Select(a => (JsonNode)JsonValue.Create(a)).ToArray());
            items.Add(obj);
        }
        return new JsonObject { ["defaultKernelName"] = DefaultKernelName, ["items"] = items };
    }

    private static bool IsValidName(string? name) => !string.IsNullOrWhiteSpace(name) && !name.StartsWith('#');
}

/// <summary>Small JSON helpers shared by the Polyglot and .dib code.</summary>
internal static class JsonText
{
    /// <summary>Compact JSON as System.Text.Json writes it with relaxed escaping (non-ASCII, &lt;, &amp; kept as is).</summary>
    public static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? String(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };

    public static string Describe(JsonNode? node)
    {
        if (node is not JsonValue) return Kind(node);
        var text = node.ToJsonString(Compact);
        return $"{Kind(node)} {(text.Length > 40 ? text[..40] + "…" : text)}";
    }
}

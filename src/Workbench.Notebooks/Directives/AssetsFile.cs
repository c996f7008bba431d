using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Directives;

/// <summary>Reads a restore's project.assets.json: the runtime assemblies of every package, transitive ones included.</summary>
internal static class AssetsFile
{
    /// <summary>
    /// Full paths of the package assemblies to reference, for the target framework (the first target when
    /// <paramref name="targetFramework"/> is absent). Runtime assets are preferred over compile assets because
    /// the same file is compiled against and loaded; "_._" placeholders are skipped.
    /// </summary>
    public static IReadOnlyList<string> PackageAssemblies(string assetsPath, string? targetFramework)
    {
        var root = JsonNode.Parse(File.ReadAllText(assetsPath)) ?? throw new InvalidDataException($"{assetsPath}: empty");
        var folders = (root["packageFolders"] as JsonObject)?.Select(p => p.Key).ToList() ?? new List<string>();
        var libraries = root["libraries"] as JsonObject ?? new JsonObject();
        var targets = root["targets"] as JsonObject ?? throw new InvalidDataException($"{assetsPath}: no targets");
        var target = (targetFramework is not null
            ? targets.FirstOrDefault(t => t.Key == targetFramework || t.Key.StartsWith(targetFramework + "/", StringComparison.Ordinal)).Value
            : null) ?? targets.FirstOrDefault(t => !t.Key.Contains('/')).Value;
        if (target is not JsonObject entries) throw new InvalidDataException($"{assetsPath}: no target {targetFramework}");

        var result = new List<string>();
        foreach (var (key, value) in entries)
        {
            if (value is not JsonObject lib || (string?)lib["type"] != "package") continue;
            var relative = (string?)libraries[key]?["path"];
            if (relative is null) continue;
            var assets = (lib["runtime"] as JsonObject)?.Select(a => a.Key).ToList();
            if (assets is null || assets.Count == 0) assets = (lib["compile"] as JsonObject)?.Select(a => a.Key).ToList() ?? new List<string>();
            foreach (var asset in assets)
            {
                if (asset.EndsWith("_._", StringComparison.Ordinal) || !asset.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) continue;
                var full = folders.Select(f => Path.Combine(f, relative, asset)).FirstOrDefault(File.Exists);
                if (full is not null) result.Add(Path.GetFullPath(full));
            }
        }
        return result;
    }
}

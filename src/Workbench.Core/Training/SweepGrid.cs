using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Training;

/// <summary>
/// A grid of run configurations from a JSON file: <c>{"base": {config fields}, "grid": {"field": [values...], ...}}</c>.
/// The configurations are the Cartesian product of the grid's lists over the base, in a fixed order (the grid's
/// fields in file order, the last varying fastest). <see cref="Shard"/> splits them for a job array.
/// </summary>
public sealed class SweepGrid
{
    private SweepGrid(IReadOnlyList<RunConfig> configurations) => Configurations = configurations;

    /// <summary>Every configuration, in order.</summary>
    public IReadOnlyList<RunConfig> Configurations { get; }

    /// <summary>Reads a grid file; errors name the file and the offending field.</summary>
    public static SweepGrid Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Sweep grid not found: {path}", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses grid JSON (see the type's summary).</summary>
    public static SweepGrid Parse(string json, string source = "grid")
    {
        JsonObject root;
        try { root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException($"{source}: the grid must be a JSON object."); }
        catch (JsonException e) { throw new FormatException($"{source}: {e.Message}", e); }
        foreach (var (key, _) in root)
            if (key is not ("base" or "grid")) throw new FormatException($"{source}: unknown top-level key '{key}' (use 'base' and 'grid').");
        var baseObject = root["base"] as JsonObject ?? new JsonObject();
        var grid = root["grid"] as JsonObject ?? new JsonObject();
        var axes = new List<(string Key, JsonArray Values)>();
        foreach (var (key, value) in grid)
        {
            if (value is not JsonArray array || array.Count == 0)
                throw new FormatException($"{source}: grid field '{key}' must be a non-empty array of values.");
            axes.Add((key, array));
        }
        var configurations = new List<RunConfig>();
        var index = new int[axes.Count];
        while (true)
        {
            var entry = (JsonObject)baseObject.DeepClone();
            for (int a = 0; a < axes.Count; a++) entry[axes[a].Key] = axes[a].Values[index[a]]?.DeepClone();
            string label = axes.Count == 0 ? "base" : string.Join(", ", axes.Select((ax, a) => $"{ax.Key}={ax.Values[index[a]]?.ToJsonString()}"));
            configurations.Add(RunConfig.FromJson(entry.ToJsonString(), $"{source} [{label}]"));
            int k = axes.Count - 1;
            while (k >= 0 && ++index[k] == axes[k].Values.Count) { index[k] = 0; k--; }
            if (k < 0) break;
        }
        return new SweepGrid(configurations);
    }

    /// <summary>
    /// Shard <paramref name="shard"/> of <paramref name="count"/> (1-based, as <c>--shard 2/4</c>): the configurations
    /// whose 0-based index i has i mod count = shard − 1, with their indices (so run folders are named the same in every shard).
    /// </summary>
    public IReadOnlyList<(int Index, RunConfig Config)> Shard(int shard, int count)
    {
        if (count < 1 || shard < 1 || shard > count) throw new ArgumentOutOfRangeException(nameof(shard), $"Shard {shard}/{count} is invalid: use i/n with 1 ≤ i ≤ n.");
        return Configurations.Select((c, i) => (i, c)).Where(p => p.i % count == shard - 1).ToArray();
    }

    /// <summary>The run folder name of configuration <paramref name="index"/>: <c>NNN-label</c>.</summary>
    public static string RunName(int index, RunConfig config) => $"{index:D3}-{config.Label}";

    /// <summary>Parses the <c>i/n</c> form of a shard.</summary>
    public static (int Shard, int Count) ParseShard(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int i) || !int.TryParse(parts[1], out int n) || n < 1 || i < 1 || i > n)
            throw new FormatException($"Invalid shard '{text}': use i/n with 1 ≤ i ≤ n (e.g. 2/4).");
        return (i, n);
    }
}

namespace Workbench.Cli.Tests.Training;

/// <summary>
/// Compares two sweep output folders run by run. Everything the computation produces must be byte-identical; only
/// what measures the clock (and the log of progress lines) may differ.
/// </summary>
internal static class SweepFolders
{
    // Byte for byte: the model, optimizer and carried state (no timing is stored in a checkpoint), the configuration
    // as the sweep asked for it and as the run recorded it, the vocabulary and label files when the task has them.
    private static readonly string[] Identical = ["checkpoint.safetensors", "config.json", "request.json", "vocabulary.json", "labels.json"];

    // Wall-clock measurements, different in every run: the CSV columns are dropped, run.json's fields are removed.
    private static readonly string[] TimedCsvColumns = ["tokens_per_second", "elapsed_seconds"];
    private static readonly string[] TimedSummaryFields = ["started_utc", "wall_seconds", "tokens_per_second"];

    // train.log holds progress lines with speeds and ETAs, and a stopped run's log also holds its first attempt.
    private const string Log = "train.log";

    /// <summary>Asserts that <paramref name="actual"/> holds the same run folders as <paramref name="expected"/>, the same files in each, equal as above.</summary>
    public static void AssertSame(string expected, string actual)
    {
        string[] Runs(string root) => Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        string[] runs = Runs(expected);
        Assert.NotEmpty(runs);
        Assert.Equal(runs, Runs(actual));
        foreach (string run in runs)
        {
            string a = Path.Combine(expected, run), b = Path.Combine(actual, run);
            string[] Files(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
            string[] files = Files(a);
            Assert.Equal(files, Files(b));
            foreach (string file in files)
            {
                string left = Path.Combine(a, file), right = Path.Combine(b, file);
                if (Identical.Contains(file))
                    Assert.True(File.ReadAllBytes(left).AsSpan().SequenceEqual(File.ReadAllBytes(right)), $"{run}/{file} differs");
                else if (file.EndsWith(".csv", StringComparison.Ordinal))
                    Assert.Equal(WithoutColumns(left, TimedCsvColumns), WithoutColumns(right, TimedCsvColumns));
                else if (file == "run.json")
                    Assert.Equal(WithoutFields(left, TimedSummaryFields), WithoutFields(right, TimedSummaryFields));
                else if (file != Log)
                    Assert.Fail($"{run}/{file}: a file this comparison does not know; decide whether it must be identical");
            }
        }
    }

    // The CSV's lines with the named columns removed (the values are numbers and booleans: no quoted commas).
    private static string[] WithoutColumns(string path, string[] dropped)
    {
        string[] lines = File.ReadAllLines(path);
        string[] header = lines[0].Split(',');
        int[] kept = Enumerable.Range(0, header.Length).Where(i => !dropped.Contains(header[i])).ToArray();
        return lines.Select(line => { string[] cells = line.Split(','); return string.Join(',', kept.Select(i => cells[i])); }).ToArray();
    }

    private static string WithoutFields(string path, string[] dropped)
    {
        var summary = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (string field in dropped) Assert.True(summary.Remove(field), $"{path}: no {field}");
        return summary.ToJsonString();
    }
}

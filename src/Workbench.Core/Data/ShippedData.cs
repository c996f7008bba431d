using System.Globalization;
using System.Text;
using Workbench.IO;

namespace Workbench.Data;

/// <summary>
/// The data files the project ships under <c>data/</c>, how they are made, and where to find them. Every file is
/// regenerated bit-for-bit by <see cref="WriteAll"/>; when the folder cannot be found (e.g. an installed tool), the
/// readers generate the same content in memory.
/// </summary>
public static class ShippedData
{
    /// <summary>
    /// Environment variable that points at the data folder explicitly. It is also the public data sets' cache
    /// (<see cref="Workbench.Datasets.DatasetCache"/>), so a folder it names counts here only when it holds the shipped files.
    /// </summary>
    public const string DataDirectoryVariable = "WORKBENCH_DATA";

    /// <summary>Relative path of the generated story text.</summary>
    public const string StoriesPath = "text/stories.txt";

    /// <summary>Relative paths of the tagged corpus splits.</summary>
    public const string PosTrainPath = "postag/train.conll", PosDevPath = "postag/dev.conll", PosTestPath = "postag/test.conll";

    /// <summary>Relative path of the example time-series CSV.</summary>
    public const string SinesCsvPath = "timeseries/sines.csv";

    /// <summary>Size and seed of the story text.</summary>
    public const int StoriesCharacters = 200_000, StoriesSeed = 1;

    /// <summary>Sentence counts and seeds of the tagged corpus splits.</summary>
    public const int PosTrainCount = 3000, PosDevCount = 500, PosTestCount = 500, PosTrainSeed = 11, PosDevSeed = 12, PosTestSeed = 13;

    /// <summary>Length, noise and seed of the example time series.</summary>
    public const int SinesLength = 600, SinesSeed = 5;

    /// <summary>Noise level of the example time series.</summary>
    public const double SinesNoise = 0.05;

    /// <summary>
    /// The data folder: <see cref="DataDirectoryVariable"/> if set to a folder holding the shipped files, else the first <c>data/</c> holding
    /// <c>README.md</c> found walking up from the current directory or from the application's folder; null if none.
    /// </summary>
    public static string? FindDataDirectory()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(DataDirectoryVariable);
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, StoriesPath)))
            return Path.GetFullPath(fromEnvironment);
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "data");
                if (File.Exists(Path.Combine(candidate, "README.md")) && File.Exists(Path.Combine(candidate, StoriesPath))) return candidate;
            }
        }
        return null;
    }

    /// <summary>The story text (read from the shipped file, or generated identically when it is not found).</summary>
    public static string StoriesText()
    {
        string? path = Locate(StoriesPath);
        return path is not null ? File.ReadAllText(path) : GenerateStories();
    }

    /// <summary>The story text split 90/10 into training and validation parts.</summary>
    public static TextCorpus Stories() => TextCorpus.Split(StoriesText(), 0.1, Locate(StoriesPath) ?? "(generated stories)");

    /// <summary>The tagged corpus's training split.</summary>
    public static IReadOnlyList<TaggedSentence> PosTrain() => ReadPos(PosTrainPath, PosTrainCount, PosTrainSeed);

    /// <summary>The tagged corpus's development (validation) split.</summary>
    public static IReadOnlyList<TaggedSentence> PosDev() => ReadPos(PosDevPath, PosDevCount, PosDevSeed);

    /// <summary>The tagged corpus's test split.</summary>
    public static IReadOnlyList<TaggedSentence> PosTest() => ReadPos(PosTestPath, PosTestCount, PosTestSeed);

    /// <summary>The generator call that makes <see cref="StoriesPath"/>.</summary>
    public static string GenerateStories() => StoryTextGenerator.Generate(StoriesCharacters, StoriesSeed);

    /// <summary>The CSV text of <see cref="SinesCsvPath"/>: header <c>step,value</c>, values with 6 decimals.</summary>
    public static string GenerateSinesCsv()
    {
        double[] values = SineWaveGenerator.Generate(SinesLength, null, SinesNoise, SinesSeed);
        var sb = new StringBuilder("step,value\n");
        for (int t = 0; t < values.Length; t++) sb.Append(t).Append(',').Append(values[t].ToString("F6", CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    /// <summary>(Re)writes every shipped file under <paramref name="dataDirectory"/> (atomically, file by file).</summary>
    public static void WriteAll(string dataDirectory)
    {
        AtomicFile.WriteAllBytes(Path.Combine(dataDirectory, StoriesPath), System.Text.Encoding.UTF8.GetBytes(GenerateStories()));
        ConllFormat.Write(Path.Combine(dataDirectory, PosTrainPath), PosCorpusGenerator.Generate(PosTrainCount, PosTrainSeed));
        ConllFormat.Write(Path.Combine(dataDirectory, PosDevPath), PosCorpusGenerator.Generate(PosDevCount, PosDevSeed));
        ConllFormat.Write(Path.Combine(dataDirectory, PosTestPath), PosCorpusGenerator.Generate(PosTestCount, PosTestSeed));
        AtomicFile.WriteAllBytes(Path.Combine(dataDirectory, SinesCsvPath), System.Text.Encoding.UTF8.GetBytes(GenerateSinesCsv()));
    }

    private static IReadOnlyList<TaggedSentence> ReadPos(string relative, int count, int seed)
    {
        string? path = Locate(relative);
        return path is not null ? ConllFormat.Read(path) : PosCorpusGenerator.Generate(count, seed);
    }

    private static string? Locate(string relative)
    {
        string? dir = FindDataDirectory();
        if (dir is null) return null;
        string path = Path.Combine(dir, relative);
        return File.Exists(path) ? path : null;
    }
}

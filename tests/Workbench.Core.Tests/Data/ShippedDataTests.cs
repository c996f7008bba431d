using Workbench.Data;

namespace Workbench.Core.Tests.Data;

public class ShippedDataTests
{
    // Set WORKBENCH_REGENERATE_DATA=1 to rewrite data/ from the generators before checking (see data/README.md).
    private static string DataDirectory()
    {
        string dir = ShippedData.FindDataDirectory() ?? throw new InvalidOperationException("data/ not found above the test folder");
        if (Environment.GetEnvironmentVariable("WORKBENCH_REGENERATE_DATA") == "1") ShippedData.WriteAll(dir);
        return dir;
    }

    [Fact]
    public void ShippedFilesAreExactlyWhatTheGeneratorsMake()
    {
        string dir = DataDirectory();
        Assert.Equal(ShippedData.GenerateStories(), File.ReadAllText(Path.Combine(dir, ShippedData.StoriesPath)));
        Assert.Equal(ConllFormat.Format(PosCorpusGenerator.Generate(ShippedData.PosTrainCount, ShippedData.PosTrainSeed)),
            File.ReadAllText(Path.Combine(dir, ShippedData.PosTrainPath)));
        Assert.Equal(ConllFormat.Format(PosCorpusGenerator.Generate(ShippedData.PosTestCount, ShippedData.PosTestSeed)),
            File.ReadAllText(Path.Combine(dir, ShippedData.PosTestPath)));
        Assert.Equal(ShippedData.GenerateSinesCsv(), File.ReadAllText(Path.Combine(dir, ShippedData.SinesCsvPath)));
    }

    [Fact]
    public void StoryTextIsSmallAsciiAndSplits()
    {
        string text = ShippedData.StoriesText();
        Assert.InRange(text.Length, ShippedData.StoriesCharacters, ShippedData.StoriesCharacters + 5000);
        Assert.All(text, c => Assert.True(c == '\n' || (c >= ' ' && c < 127), $"unexpected character {(int)c}"));
        var corpus = ShippedData.Stories();
        Assert.Equal(text, corpus.Train + corpus.Validation);
        Assert.Equal(0.1, corpus.Validation.Length / (double)text.Length, 3);
        Assert.True(SymbolVocabulary.FromCharacters(text).Count < 70);
    }

    [Fact]
    public void TaggedCorpusRoundTripsAndHasTheAmbiguity()
    {
        var train = ShippedData.PosTrain();
        Assert.Equal(ShippedData.PosTrainCount, train.Count);
        // "saw" is tagged both ways, and sentence-initially both ways (the right-context cases).
        var sawTags = train.SelectMany(s => s.Words.Zip(s.Tags)).Where(p => p.First == "saw").Select(p => p.Second).ToHashSet();
        Assert.Equal(new HashSet<string> { "NOUN", "VERB" }, sawTags);
        var initial = train.Where(s => PosCorpusGenerator.AmbiguousWords.Contains(s.Words[0])).Select(s => s.Tags[0]).ToList();
        Assert.Contains("NOUN", initial);
        Assert.Contains("VERB", initial);
        Assert.All(train.SelectMany(s => s.Tags), t => Assert.Contains(t, PosCorpusGenerator.TagSet));
    }
}

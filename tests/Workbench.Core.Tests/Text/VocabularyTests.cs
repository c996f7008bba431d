using Workbench.Text;

namespace Workbench.Core.Tests.Text;

public class VocabularyTests
{
    private static readonly string[] Tokens = "the cat sat on the mat the cat ran".Split(' ');

    [Fact]
    public void SpecialTokensComeFirstThenByFrequency()
    {
        var v = Vocabulary.Build(Tokens);
        Assert.Equal(["<pad>", "<unk>", "<bos>", "<eos>", "the", "cat", "sat", "on", "mat", "ran"], v.Tokens);
        Assert.Equal((0, 1, 2, 3), (v.PaddingId, v.UnknownId, v.BeginId, v.EndId));
        Assert.Equal(3, v.Frequency("the"));
        Assert.Equal(v.UnknownId, v["dog"]);
        Assert.Equal([2, 4, 5, 1, 3], v.Encode(["the", "cat", "dog"], addBeginEnd: true));
        Assert.Equal(["the", "cat", "<unk>"], v.Decode([2, 4, 5, 1, 3], skipSpecial: true));
    }

    [Fact]
    public void FrequencyCutOffAndMaximumSize()
    {
        var v = Vocabulary.Build(Tokens, minCount: 2);
        Assert.Equal(["the", "cat"], v.Tokens.Skip(4));
        Assert.Single(Vocabulary.Build(Tokens, maxSize: 1).Tokens.Skip(4));
    }

    [Fact]
    public void SavesAndLoadsAndNamesBadLines()
    {
        var v = Vocabulary.Build(Tokens);
        string dir = Embeddings.RepoPaths.TempDirectory();
        string path = Path.Combine(dir, "vocab.tsv");
        v.Save(path);
        var loaded = Vocabulary.Load(path);
        Assert.Equal(v.Tokens, loaded.Tokens);
        Assert.Equal(3, loaded.Frequency("the"));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));
        File.WriteAllText(path, "<pad>\t0\n<unk>\t0\n<bos>\t0\n<eos>\t0\nthe\tmany\n");
        var e = Assert.Throws<FormatException>(() => Vocabulary.Load(path));
        Assert.Contains("vocab.tsv:5", e.Message);
    }
}

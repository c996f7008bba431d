using Workbench.Data;

namespace Workbench.Core.Tests.Data;

public class ConllFormatTests
{
    [Fact]
    public void WritesAndReadsBack()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wb-{Guid.NewGuid():N}.conll");
        try
        {
            var sentences = new[]
            {
                new TaggedSentence(["I", "saw", "a", "saw", "."], ["PRON", "VERB", "DET", "NOUN", "PUNCT"]),
                new TaggedSentence(["saw", "the", "plank", "."], ["VERB", "DET", "NOUN", "PUNCT"]),
            };
            ConllFormat.Write(path, sentences);
            Assert.Equal("I\tPRON\nsaw\tVERB\na\tDET\nsaw\tNOUN\n.\tPUNCT\n\nsaw\tVERB\nthe\tDET\nplank\tNOUN\n.\tPUNCT\n\n", File.ReadAllText(path));
            var back = ConllFormat.Read(path);
            Assert.Equal(2, back.Count);
            Assert.Equal(sentences[0].Words, back[0].Words);
            Assert.Equal(sentences[1].Tags, back[1].Tags);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void MalformedLineNamesFileAndLine()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wb-{Guid.NewGuid():N}.conll");
        try
        {
            File.WriteAllText(path, "I\tPRON\n\n# comment\nsaw\tVERB\nbroken\n");
            var error = Assert.Throws<DataFormatException>(() => ConllFormat.Read(path));
            Assert.Equal(5, error.LineNumber);
            Assert.Contains($"{path}:5:", error.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void EncodeMapsUnknownWordsToUnk()
    {
        var words = SymbolVocabulary.FromWords(["saw", "I"]);
        var tags = SymbolVocabulary.FromLabels(["NOUN", "VERB", "PRON"]);
        var set = ConllFormat.Encode([new TaggedSentence(["I", "saw", "zebra"], ["PRON", "VERB", "NOUN"])], words, tags);
        Assert.Equal(new[] { words.IdOf("I"), words.IdOf("saw"), 1 }, set.Inputs[0]);
        Assert.Equal(new[] { tags.IdOf("PRON"), tags.IdOf("VERB"), tags.IdOf("NOUN") }, set.Targets[0]);
        Assert.Throws<KeyNotFoundException>(() => tags.IdOf("ADV"));
    }
}

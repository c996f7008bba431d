using Workbench.Data;
using Workbench.Models;

namespace Workbench.Core.Tests.Models;

public class MajorityTaggerTests
{
    private static TaggedSentence S(string tagged) =>
        new(tagged.Split(' ').Select(p => p.Split('/')[0]).ToArray(), tagged.Split(' ').Select(p => p.Split('/')[1]).ToArray());

    private static readonly TaggedSentence[] Training =
    [
        S("I/PRON saw/VERB a/DET dog/NOUN"),
        S("the/DET saw/NOUN cut/VERB wood/NOUN"),
        S("a/DET saw/NOUN is/VERB sharp/ADJ"),
        S("we/PRON duck/VERB"),
        S("a/DET duck/NOUN"),
    ];

    [Fact]
    public void EachWordGetsItsMostFrequentTagWhateverTheContext()
    {
        var tagger = MajorityTagger.Fit(Training);
        Assert.Equal(["PRON", "NOUN", "DET", "NOUN"], tagger.Tag(["I", "saw", "a", "saw"]));
        // duck: one NOUN, one VERB; the tie goes to the ordinally first tag.
        Assert.Equal("NOUN", tagger.Tag("duck"));
        // Never seen: the most frequent tag overall (NOUN: 5 of 16 tokens).
        Assert.Equal("NOUN", tagger.FallbackTag);
        Assert.Equal("NOUN", tagger.Tag("hammer"));
    }

    [Fact]
    public void AccuracyCountsOnlyTheIncludedTokens()
    {
        var tagger = MajorityTagger.Fit(Training);
        var test = new[] { S("I/PRON saw/VERB a/DET saw/NOUN") };
        Assert.Equal(0.75, tagger.Accuracy(test), 15);
        Assert.Equal(0.5, tagger.Accuracy(test, w => w == "saw"), 15);
        Assert.Throws<ArgumentException>(() => tagger.Accuracy(test, w => w == "hammer"));
        Assert.Throws<ArgumentException>(() => MajorityTagger.Fit([]));
    }
}

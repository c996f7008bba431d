using Workbench.Data;
using Workbench.Embeddings;

namespace Workbench.Core.Tests.Embeddings;

public class Word2VecTests
{
    private static List<IReadOnlyList<string>> Royal(int sentences) =>
        RoyalCorpusGenerator.Sentences(sentences).Select(s => (IReadOnlyList<string>)s.Split(' ')).ToList();

    private static readonly Word2VecOptions Small = new() { VectorSize = 20, Window = 4, Epochs = 3, Threads = 1, MinCount = 5, Seed = 7 };

    [Fact]
    public void SkipGramLearnsKingMinusManPlusWomanIsQueenOnTheShippedCorpus()
    {
        var vectors = Word2Vec.TrainFile(RepoPaths.Data("royal-corpus.txt"), Small);
        Assert.Equal("queen", vectors.MostSimilar(["king", "woman"], ["man"], topN: 1)[0].Word);
        Assert.Equal("king", vectors.MostSimilar(["queen", "man"], ["woman"], topN: 1)[0].Word);
        Assert.Equal("princess", vectors.MostSimilar(["prince", "girl"], ["boy"], topN: 1)[0].Word);
        Assert.All(RoyalCorpusGenerator.People.SelectMany(p => new[] { p.Male, p.Female }).Concat(RoyalCorpusGenerator.Fruits),
            w => Assert.True(vectors.Contains(w), w));
        Assert.Contains(vectors.MostSimilar("apple", 3), s => RoyalCorpusGenerator.Fruits.Contains(s.Word));
    }

    [Fact]
    public void ShippedCorpusIsWhatTheGeneratorWrites()
    {
        string expected = string.Concat(RoyalCorpusGenerator.Sentences(30000).Select(s => s + "\n"));
        Assert.Equal(expected, File.ReadAllText(RepoPaths.Data("royal-corpus.txt")));
    }

    [Fact]
    public void SingleThreadTrainingIsBitIdenticalForTheSameSeed()
    {
        var corpus = Royal(3000);
        var a = Word2Vec.Train(corpus, Small with { Epochs = 1 });
        var b = Word2Vec.Train(corpus, Small with { Epochs = 1 });
        var c = Word2Vec.Train(corpus, Small with { Epochs = 1, Seed = 8 });
        Assert.Equal(a.Words, b.Words);
        Assert.Equal(a.ToNdArray().Data, b.ToNdArray().Data);
        Assert.NotEqual(a.ToNdArray().Data, c.ToNdArray().Data);
        // Vocabulary order: most frequent first.
        Assert.True(a.Counts![0] >= a.Counts[1] && a.Counts[1] >= a.Counts[^1]);
    }

    [Fact]
    public void CbowAndMultiThreadedTrainingLearnTheAnalogyToo()
    {
        var corpus = Royal(30000);
        var cbow = Word2Vec.Train(corpus, Small with { Architecture = Word2VecArchitecture.Cbow, Epochs = 5 });
        Assert.Equal("queen", cbow.MostSimilar(["king", "woman"], ["man"], topN: 1)[0].Word);
        var threaded = Word2Vec.Train(corpus, Small with { Threads = 2 });
        Assert.Equal("queen", threaded.MostSimilar(["king", "woman"], ["man"], topN: 1)[0].Word);
    }

    /// <summary>
    /// Two planted topics: every sentence draws its words from one group of 10 only, so words of a group share all
    /// their contexts and words of different groups share none.
    /// </summary>
    private static List<IReadOnlyList<string>> PlantedTopics(int sentences, int seed)
    {
        var rng = new Random(seed);
        var corpus = new List<IReadOnlyList<string>>(sentences);
        for (int s = 0; s < sentences; s++)
        {
            char group = s % 2 == 0 ? 'a' : 'b';
            corpus.Add(Enumerable.Range(0, 12).Select(_ => $"{group}{rng.Next(10)}").ToArray());
        }
        return corpus;
    }

    private static (double Within, double Between) TopicSimilarities(WordVectors vectors)
    {
        var within = new List<double>();
        var between = new List<double>();
        for (int i = 0; i < 10; i++)
            for (int j = 0; j < 10; j++)
            {
                if (i != j) { within.Add(vectors.Similarity($"a{i}", $"a{j}")); within.Add(vectors.Similarity($"b{i}", $"b{j}")); }
                between.Add(vectors.Similarity($"a{i}", $"b{j}"));
            }
        return (within.Average(), between.Average());
    }

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram, 1)]
    [InlineData(Word2VecArchitecture.SkipGram, 2)]
    [InlineData(Word2VecArchitecture.Cbow, 1)]
    [InlineData(Word2VecArchitecture.Cbow, 2)]
    public void BothArchitecturesLearnThePlantedTopicsWithOneAndTwoThreads(Word2VecArchitecture architecture, int threads)
    {
        var options = new Word2VecOptions
        {
            Architecture = architecture, VectorSize = 16, Window = 3, Epochs = 5, MinCount = 1, Sample = 0, Threads = threads, Seed = 3,
        };
        var before = TopicSimilarities(Word2Vec.Train(PlantedTopics(2000, 5), options with { Alpha = 1e-9, MinAlpha = 0 }));
        var after = TopicSimilarities(Word2Vec.Train(PlantedTopics(2000, 5), options));
        // Untrained (random) vectors show no topics; trained ones put each group together and the groups apart.
        Assert.True(Math.Abs(before.Within - before.Between) < 0.2, $"untrained: within {before.Within:F3}, between {before.Between:F3}");
        Assert.True(after.Within > 0.8, $"{architecture}, {threads} threads: within {after.Within:F3}");
        if (threads == 1)
        {
            Assert.True(after.Between < 0.2, $"{architecture}, 1 thread: between {after.Between:F3}");
        }
        else
        {
            // Two threads update the same 20 vectors without locks (Hogwild, as gensim): with a vocabulary this small
            // nearly every update races the other thread's, and which updates are lost depends on the scheduling, so
            // "between" is not a fixed number (seeds 1–12 under load: 0.11–0.17 with 2 threads against 0.11–0.12
            // with 1; 0.223 once under stress-ng). What every schedule must give is the separation itself.
            Assert.True(after.Within - after.Between > 0.6, $"{architecture}, 2 threads: within {after.Within:F3}, between {after.Between:F3}");
        }
    }

    [Fact]
    public void TwoThreadsTrainEverySentenceOfEveryEpochOnce()
    {
        var recorder = new Recorder();
        var corpus = Royal(5000);
        var vectors = Word2Vec.Train(corpus, Small with { Threads = 2 }, recorder);
        long retained = vectors.Counts!.Sum();
        Assert.Equal(retained * Small.Epochs, recorder.Reports[^1].WordsProcessed);
        Assert.Equal(Small.Epochs, recorder.Reports[^1].Epoch);
    }

    private sealed class Recorder(Action<Word2VecProgress>? onReport = null) : IProgress<Word2VecProgress>
    {
        public List<Word2VecProgress> Reports { get; } = [];
        public void Report(Word2VecProgress value) { lock (Reports) Reports.Add(value); onReport?.Invoke(value); }
    }

    [Fact]
    public void ReportsProgressWithDecayingAlpha()
    {
        var recorder = new Recorder();
        var options = Small with { Epochs = 2, Alpha = 0.05, MinAlpha = 0.001 };
        Word2Vec.Train(Royal(20000), options, recorder);
        var last = recorder.Reports[^1];
        Assert.Equal(1.0, last.Fraction);
        Assert.Equal(0.001, last.Alpha, 10);
        Assert.True(last.WordsPerSecond > 0);
        for (int i = 1; i < recorder.Reports.Count; i++)
        {
            Assert.True(recorder.Reports[i].Fraction >= recorder.Reports[i - 1].Fraction);
            Assert.True(recorder.Reports[i].Alpha <= recorder.Reports[i - 1].Alpha);
        }
    }

    [Fact]
    public void CancellationStopsTrainingBeforeTheEnd()
    {
        using var cts = new CancellationTokenSource();
        var recorder = new Recorder(_ => cts.Cancel());
        var options = Small with { Epochs = 200, Threads = 2 };
        Assert.ThrowsAny<OperationCanceledException>(() => Word2Vec.Train(Royal(30000), options, recorder, cts.Token));
        Assert.All(recorder.Reports, r => Assert.True(r.Fraction < 0.5));
    }

    [Fact]
    public void AFailingProgressHandlerStopsTrainingAndSurfaces()
    {
        var recorder = new Recorder(_ => throw new InvalidTimeZoneException("handler failed"));
        var e = Assert.Throws<InvalidTimeZoneException>(() => Word2Vec.Train(Royal(30000), Small with { Epochs = 200, Threads = 2 }, recorder));
        Assert.Equal("handler failed", e.Message);
    }

    [Fact]
    public void TooSmallCorporaGetClearMessages()
    {
        var empty = Assert.Throws<InvalidOperationException>(() => Word2Vec.Train([["a", "b", "c"]], Small));
        Assert.Contains("min-count = 5", empty.Message);
        Assert.Contains("vocabulary is empty", empty.Message);
        var tiny = Assert.Throws<InvalidOperationException>(() => Word2Vec.Train([["a", "b", "a"]], Small with { MinCount = 1, Window = 5 }));
        Assert.Contains("window", tiny.Message);
        var bad = Assert.Throws<ArgumentException>(() => Word2Vec.Train(Royal(10), Small with { Negative = 0 }));
        Assert.Contains("Negative", bad.Message);
        Assert.Throws<FileNotFoundException>(() => Word2Vec.TrainFile("/nonexistent/corpus.txt", Small));
    }

    [Fact]
    public void LongLinesAreCutIntoTenThousandWordSentences()
    {
        string dir = RepoPaths.TempDirectory();
        string path = Path.Combine(dir, "one-line.txt");
        File.WriteAllText(path, string.Join(' ', Enumerable.Range(0, 25000).Select(i => $"w{i % 7}")) + "\nlast line\n");
        var sentences = Word2Vec.ReadSentences(path).ToList();
        Assert.Equal([10000, 10000, 5000, 2], sentences.Select(s => s.Length));
    }
}

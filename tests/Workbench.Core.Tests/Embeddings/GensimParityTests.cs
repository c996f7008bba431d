using System.Text.Json;
using Workbench.Embeddings;

namespace Workbench.Core.Tests.Embeddings;

/// <summary>Same vectors, same files: the numbers gensim 4.2 recorded (tests/fixtures/gensim/make_fixtures.py).</summary>
public class GensimParityTests
{
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture("expected.json"))).RootElement;
    private static readonly WordVectors Vectors = WordVectors.LoadWord2VecText(RepoPaths.Fixture("small.w2v.txt"));

    [Theory]
    [InlineData("default", 300000, true, false)]
    [InlineData("restrict_20", 20, true, false)]
    [InlineData("case_sensitive", 300000, false, false)]
    [InlineData("dummy4unknown", 300000, true, true)]
    public void AnalogyEvaluationEqualsGensim(string variant, int restrict, bool caseInsensitive, bool dummy)
    {
        var expected = Expected.GetProperty("analogies").GetProperty(variant);
        var result = Vectors.EvaluateWordAnalogies(RepoPaths.Fixture("analogies.txt"), restrict, caseInsensitive, dummy);
        var sections = expected.GetProperty("sections").EnumerateArray().ToList();
        var ours = result.Sections.Append(result.Total).ToList();
        Assert.Equal(sections.Select(s => s.GetProperty("name").GetString()), ours.Select(s => s.Name));
        for (int i = 0; i < sections.Count; i++)
        {
            Assert.Equal(Questions(sections[i].GetProperty("correct")), ours[i].Correct.Select(q => $"{q.A} {q.B} {q.C} {q.Expected}"));
            Assert.Equal(Questions(sections[i].GetProperty("incorrect")), ours[i].Incorrect.Select(q => $"{q.A} {q.B} {q.C} {q.Expected}"));
        }
        Assert.Equal(expected.GetProperty("score").GetDouble(), result.Accuracy, 12);
    }

    private static IEnumerable<string> Questions(JsonElement list) =>
        list.EnumerateArray().Select(q => string.Join(' ', q.EnumerateArray().Select(w => w.GetString())));

    [Theory]
    [InlineData("default", 300000, false)]
    [InlineData("restrict_20", 20, false)]
    [InlineData("dummy4unknown", 300000, true)]
    public void WordPairEvaluationEqualsGensim(string variant, int restrict, bool dummy)
    {
        var expected = Expected.GetProperty("pairs").GetProperty(variant);
        var r = Vectors.EvaluateWordPairs(RepoPaths.Fixture("pairs.tsv"), restrictVocab: restrict, dummy4unknown: dummy);
        Assert.Equal(expected.GetProperty("pearson").GetDouble(), r.Pearson, 6);
        Assert.Equal(expected.GetProperty("spearman").GetDouble(), r.Spearman, 6);
        Assert.Equal(expected.GetProperty("pearson_p").GetDouble(), r.PearsonPValue, 6);
        Assert.Equal(expected.GetProperty("spearman_p").GetDouble(), r.SpearmanPValue, 6);
        Assert.Equal(expected.GetProperty("oov_ratio").GetDouble(), r.OutOfVocabularyRatio, 10);
    }

    [Fact]
    public void MostSimilarEqualsGensim()
    {
        foreach (var query in Expected.GetProperty("most_similar").EnumerateArray())
        {
            var positive = query.GetProperty("positive").EnumerateArray().Select(w => w.GetString()!).ToList();
            var negative = query.GetProperty("negative").EnumerateArray().Select(w => w.GetString()!).ToList();
            int? restrict = query.GetProperty("restrict").ValueKind == JsonValueKind.Null ? null : query.GetProperty("restrict").GetInt32();
            var ours = Vectors.MostSimilar(positive, negative, query.GetProperty("topn").GetInt32(), restrict);
            AssertSameRanking(query.GetProperty("result"), ours);
        }
    }

    [Fact]
    public void MostSimilarCosMulEqualsGensim()
    {
        foreach (var query in Expected.GetProperty("most_similar_cosmul").EnumerateArray())
        {
            var positive = query.GetProperty("positive").EnumerateArray().Select(w => w.GetString()!).ToList();
            var negative = query.GetProperty("negative").EnumerateArray().Select(w => w.GetString()!).ToList();
            AssertSameRanking(query.GetProperty("result"), Vectors.MostSimilarCosMul(positive, negative, query.GetProperty("topn").GetInt32()));
        }
    }

    [Fact]
    public void SimilarByVectorDoesntMatchAndSimilarityEqualGensim()
    {
        var byVector = Expected.GetProperty("similar_by_vector");
        AssertSameRanking(byVector.GetProperty("result"), Vectors.SimilarByVector(Vectors[byVector.GetProperty("word").GetString()!], 3));
        foreach (var q in Expected.GetProperty("doesnt_match").EnumerateArray())
            Assert.Equal(q.GetProperty("result").GetString(), Vectors.DoesntMatch(q.GetProperty("words").EnumerateArray().Select(w => w.GetString()!)));
        foreach (var q in Expected.GetProperty("similarity").EnumerateArray())
            Assert.Equal(q.GetProperty("result").GetDouble(), Vectors.Similarity(q.GetProperty("a").GetString()!, q.GetProperty("b").GetString()!), 6);
    }

    private static void AssertSameRanking(JsonElement expected, IReadOnlyList<WordSimilarity> ours)
    {
        var list = expected.EnumerateArray().ToList();
        Assert.Equal(list.Select(e => e[0].GetString()), ours.Select(o => o.Word));
        for (int i = 0; i < list.Count; i++) Assert.Equal(list[i][1].GetDouble(), ours[i].Similarity, 5);
    }

    [Fact]
    public void Word2VecVocabularySubSamplingAndNoiseTablesEqualGensims()
    {
        foreach (var v in Expected.GetProperty("word2vec_vocab").EnumerateArray())
        {
            var lines = File.ReadLines(RepoPaths.Data("royal-corpus.txt")).Take(v.GetProperty("lines").GetInt32())
                .Select(l => (IReadOnlyList<string>)l.Split(' ')).ToList();
            double sample = v.GetProperty("sample").GetDouble();
            var options = new Word2VecOptions { VectorSize = 4, Epochs = 1, Threads = 1, MinCount = v.GetProperty("min_count").GetInt32(), Sample = sample };
            var trained = Word2Vec.Train(lines, options);
            // Same words with the same counts, most frequent first. Among equal counts gensim's order comes from numpy's
            // unstable argsort; ours is first-seen first, so ties are compared as sets.
            var words = v.GetProperty("words").EnumerateArray().Select(w => w.GetString()!).ToArray();
            var counts = v.GetProperty("counts").EnumerateArray().Select(c => c.GetInt64()).ToArray();
            Assert.Equal(counts, trained.Counts);
            Assert.Equal(words.Zip(counts).OrderBy(p => p.Second).ThenBy(p => p.First, StringComparer.Ordinal),
                trained.Words.Zip(trained.Counts!).OrderBy(p => p.Second).ThenBy(p => p.First, StringComparer.Ordinal));
            var (sampleInt, cumulative) = Word2Vec.SamplingTables(counts, sample, v.GetProperty("ns_exponent").GetDouble());
            Assert.Equal(v.GetProperty("sample_int").EnumerateArray().Select(x => x.GetUInt32()), sampleInt);
            Assert.Equal(v.GetProperty("cum_table").EnumerateArray().Select(x => x.GetUInt32()), cumulative);
        }
    }

    [Fact]
    public void TheThreeFormatsLoadTheSameVectors()
    {
        var glove = WordVectors.LoadGlove(RepoPaths.Fixture("small.glove.txt"));
        var binary = WordVectors.LoadWord2VecBinary(RepoPaths.Fixture("small.w2v.bin"));
        foreach (var other in new[] { glove, binary, WordVectors.Load(RepoPaths.Fixture("small.w2v.bin")), WordVectors.Load(RepoPaths.Fixture("small.glove.txt")) })
        {
            Assert.Equal(Vectors.Words, other.Words);
            Assert.Equal(Vectors.ToNdArray().Data, other.ToNdArray().Data);
        }
        Assert.Equal(38, Vectors.Count);
        Assert.Equal(8, Vectors.Dimension);
    }

    [Fact]
    public void SavedFilesAreByteIdenticalToGensims()
    {
        string dir = RepoPaths.TempDirectory();
        Vectors.SaveWord2VecBinary(Path.Combine(dir, "v.bin"));
        Vectors.SaveWord2VecText(Path.Combine(dir, "v.txt"));
        Vectors.SaveGlove(Path.Combine(dir, "v.glove.txt"));
        Assert.Equal(File.ReadAllBytes(RepoPaths.Fixture("small.w2v.bin")), File.ReadAllBytes(Path.Combine(dir, "v.bin")));
        Assert.Equal(File.ReadAllBytes(RepoPaths.Fixture("small.w2v.txt")), File.ReadAllBytes(Path.Combine(dir, "v.txt")));
        Assert.Equal(File.ReadAllBytes(RepoPaths.Fixture("small.glove.txt")), File.ReadAllBytes(Path.Combine(dir, "v.glove.txt")));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));
    }
}

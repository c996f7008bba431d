using System.Text;
using MathNet.Numerics;
using Workbench.Embeddings;

namespace Workbench.Core.Tests.Embeddings;

public class WordVectorsTests
{
    private static readonly FeatureTable Table = FeatureTable.Load(RepoPaths.Data("featurized.csv"));

    [Fact]
    public void FeaturizedTableHoldsTheSeedsValues()
    {
        Assert.Equal(["Gender", "Royal", "Age", "Food"], Table.Features);
        Assert.Equal(["Man", "Woman", "King", "Queen", "Apple", "Orange"], Table.Words);
        Assert.Equal([-1, 0.01, 0.03, 0.09], Table["Man"]);
        Assert.Equal(0.93, Table["King", "Royal"]);
        Assert.Equal(0.95, Table["Queen", "Royal"]);
    }

    [Fact]
    public void ManMinusWomanIsCloseToKingMinusQueen()
    {
        double[] Diff(string a, string b) => Table[a].Zip(Table[b], (x, y) => x - y).ToArray();
        double[] manWoman = Diff("Man", "Woman"), kingQueen = Diff("King", "Queen");
        // Both differences are essentially the gender axis: about (−2, 0, 0, 0).
        Assert.True(WordVectors.CosineSimilarity(manWoman, kingQueen) > 0.99);
        Assert.True(WordVectors.EuclideanDistance(manWoman, kingQueen) < 0.15);
        Assert.True(WordVectors.CosineSimilarity(manWoman, Diff("Apple", "Orange")) < 0.5);
        var vectors = Table.ToWordVectors();
        Assert.Equal("Queen", vectors.MostSimilar(["King", "Woman"], ["Man"], topN: 1)[0].Word);
        Assert.Equal("Orange", vectors.MostSimilar("Apple", 1)[0].Word);
        Assert.Equal("Queen", vectors.DoesntMatch(["Apple", "Orange", "Queen"]));
        Assert.Equal("Apple", vectors.DoesntMatch(["Man", "King", "Apple"]));
    }

    [Fact]
    public void CosineSimilarityIsOneMinusMathNetsCosineDistance()
    {
        double[] u = [1, 2, 3, -1], v = [0.5, -1, 2, 4];
        double cosine = WordVectors.CosineSimilarity(u, v);
        Assert.Equal(1 - Distance.Cosine(u, v), cosine, 12);
        Assert.Equal(Distance.Euclidean(u, v), WordVectors.EuclideanDistance(u, v), 12);
        Assert.Equal(Distance.SSD(u, v), WordVectors.SquaredEuclideanDistance(u, v), 12);
        Assert.Equal(1.0, WordVectors.CosineSimilarity(u, u.Select(x => 3 * x).ToArray()), 12);
        Assert.Equal(-1.0, WordVectors.CosineSimilarity(u, u.Select(x => -x).ToArray()), 12);
    }

    [Fact]
    public void UnknownWordsAreListed()
    {
        var vectors = Table.ToWordVectors();
        var e = Assert.Throws<KeyNotFoundException>(() => vectors.MostSimilar(["King", "Prince"], ["Duke"]));
        Assert.Contains("'Prince'", e.Message);
        Assert.Contains("'Duke'", e.Message);
        Assert.DoesNotContain("'King'", e.Message);
        Assert.Throws<KeyNotFoundException>(() => vectors.Similarity("King", "nobody"));
    }

    [Fact]
    public void LookupIsEmbeddingMatrixIndexing()
    {
        var vectors = Table.ToWordVectors();
        var rows = vectors.Lookup([2, 3, 2]);
        Assert.Equal([3, 4], rows.Shape);
        Assert.Equal(vectors.GetVector("King"), rows.Data[..4]);
        Assert.Equal(vectors.GetVector("Queen"), rows.Data[4..8]);
        Assert.Equal(1.0, WordVectors.CosineSimilarity(vectors.GetVector("King", normalized: true), vectors.GetVector("King")), 6);
    }

    [Fact]
    public void TakeAndSubsetCopyRows()
    {
        var vectors = Table.ToWordVectors();
        var top = vectors.Take(2);
        Assert.Equal(["Man", "Woman"], top.Words);
        Assert.Equal(vectors["Woman"], top["Woman"]);
        var some = vectors.Subset(["Queen", "Apple"]);
        Assert.Equal(["Queen", "Apple"], some.Words);
        Assert.Equal(vectors["Apple"], some.GetVector(1));
        Assert.Contains("'Pear'", Assert.Throws<KeyNotFoundException>(() => vectors.Subset(["Pear"])).Message);
    }

    [Fact]
    public void ExpressionsParse()
    {
        var e = VectorExpression.Parse("king - man + woman");
        Assert.Equal(["king", "woman"], e.Positive);
        Assert.Equal(["man"], e.Negative);
        Assert.Equal(["paris"], VectorExpression.Parse("  paris ").Positive);
        Assert.Equal(["man"], VectorExpression.Parse("king -man").Negative);
        Assert.Throws<FormatException>(() => VectorExpression.Parse("king - - man"));
        Assert.Throws<FormatException>(() => VectorExpression.Parse("king +"));
        Assert.Throws<FormatException>(() => VectorExpression.Parse("  "));
    }
}

public class WordVectorsFormatTests
{
    private static string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    private static string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(RepoPaths.TempDirectory(), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void RaggedRowsNameFileAndLine()
    {
        string path = Write("ragged.txt", "a 1 2 3\nb 1 2\n");
        var e = Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadGlove(path));
        Assert.Equal(2, e.Line);
        Assert.Contains("ragged.txt:2", e.Message);
        Assert.Contains("expected 3", e.Message);
    }

    [Fact]
    public void NonNumericFieldsNameFileAndLine()
    {
        string path = Write("nan.txt", "2 3\na 1 2 3\nb 1 x 3\n");
        var e = Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadWord2VecText(path));
        Assert.Contains("nan.txt:3", e.Message);
        Assert.Contains("'x'", e.Message);
    }

    [Fact]
    public void HeadersThatAnnounceMoreThanTheFileHoldsAreRefusedBeforeAllocating()
    {
        // Before: the text header sized a List<float> of 2147483647·8 (an int overflow) and the binary one an array of
        // 3·2147483647 floats.
        var text = Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadWord2VecText(Write("huge.txt", "2147483647 8\na 1 2 3 4 5 6 7 8\n")));
        Assert.Contains("announces 2147483647 words of 8 values", text.Message);
        byte[] binary = [.. Encoding.ASCII.GetBytes("3 2147483647\na "), .. new byte[16]];
        var bin = Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadWord2VecBinary(Write("huge.bin", binary)));
        Assert.Contains("announces 3 words of 2147483647 values", bin.Message);
    }

    [Fact]
    public void NonFiniteValuesAreRefusedNamingTheWord()
    {
        var text = Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadWord2VecText(Write("nan.txt", "2 2\na 1 2\nb NaN 3\n")));
        Assert.Contains("nan.txt:3", text.Message);
        Assert.Contains("'b'", text.Message);
        var glove = Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadGlove(Write("inf.txt", "a 1 Infinity\n")));
        Assert.Contains("'a'", glove.Message);
        byte[] binary = [.. Encoding.ASCII.GetBytes("1 2\nw "), .. BitConverter.GetBytes(1f), .. BitConverter.GetBytes(float.NaN)];
        var bin = Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadWord2VecBinary(Write("nan.bin", binary)));
        Assert.Contains("value 2 of 'w'", bin.Message);
    }

    [Fact]
    public void HeaderDisagreeingWithBodyIsAnError()
    {
        var fewer = Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadWord2VecText(Write("few.txt", "3 2\na 1 2\nb 1 2\n")));
        Assert.Contains("announces 3 words", fewer.Message);
        var more = Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadWord2VecText(Write("more.txt", "1 2\na 1 2\nb 1 2\n")));
        Assert.Contains("more.txt:3", more.Message);
        var dim = Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadWord2VecText(Write("dim.txt", "1 3\na 1 2\n")));
        Assert.Contains("dim.txt:2", dim.Message);
        Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadWord2VecText(Write("header.txt", "two 3\na 1 2 3\n")));
    }

    [Fact]
    public void TruncatedBinaryNamesTheByteOffset()
    {
        byte[] full = File.ReadAllBytes(RepoPaths.Fixture("small.w2v.bin"));
        string path = Write("cut.bin", full[..(full.Length - 10)]);
        var e = Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadWord2VecBinary(path));
        Assert.NotNull(e.ByteOffset);
        Assert.Contains("cut.bin", e.Message);
        Assert.Contains("truncated", e.Message);
        var extra = Write("extra.bin", [.. full, (byte)'x', (byte)' ', 1, 2, 3, 4]);
        Assert.Contains("more bytes follow", Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadWord2VecBinary(extra)).Message);
    }

    [Fact]
    public void InvalidUtf8NamesTheLine()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes("good 1 2\n"), 0xC3, 0x28, .. Encoding.ASCII.GetBytes(" 1 2\n")];
        var e = Assert.Throws<WordVectorsFormatException>(() => WordVectors.LoadGlove(Write("latin.txt", bytes)));
        Assert.Contains("latin.txt:2", e.Message);
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void DuplicateWordsKeepTheFirstAsGensimDoes()
    {
        var v = WordVectors.LoadGlove(Write("dup.txt", "a 1 2\nb 3 4\na 5 6\n"));
        Assert.Equal(["a", "b"], v.Words);
        Assert.Equal([1f, 2f], v["a"]);
    }

    [Fact]
    public void PythonUpperCaseFoldsLikeGensim()
    {
        Assert.Equal("STRASSE", WordVectors.PythonUpper("straße"));
        Assert.Equal("ÉCOLE", WordVectors.PythonUpper("école"));
        Assert.Equal("FIN", WordVectors.PythonUpper("ﬁn"));
    }
}

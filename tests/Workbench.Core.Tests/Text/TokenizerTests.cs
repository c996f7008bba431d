using Workbench.Text;

namespace Workbench.Core.Tests.Text;

public class TokenizerTests
{
    private const string Hello = "Hello, world!";

    [Fact]
    public void WordTokenizerSplitsPunctuation()
    {
        Assert.Equal(["Hello", ",", "world", "!"], new WordTokenizer().Tokenize(Hello));
        Assert.Equal(["hello", ",", "world", "!"], new WordTokenizer(lowercase: true).Tokenize(Hello));
        Assert.Equal(["don", "'", "t", "stop", "!", "!"], new WordTokenizer().Tokenize("don't  stop!!"));
        Assert.Equal(["don't", "stop"], new WordTokenizer(keepApostrophes: true).Tokenize("don't stop"));
        Assert.Equal(Hello, new WordTokenizer().Detokenize(new WordTokenizer().Tokenize(Hello)));
    }

    [Fact]
    public void CharacterTokenizerMatchesTheSeedExample()
    {
        Assert.Equal(["H", "e", "l", "l", "o", ",", "w", "o", "r", "l", "d", "!"], new CharacterTokenizer().Tokenize(Hello));
        var withSpaces = new CharacterTokenizer(keepWhitespace: true);
        Assert.Equal(13, withSpaces.Tokenize(Hello).Count);
        Assert.Equal(Hello, withSpaces.Detokenize(withSpaces.Tokenize(Hello)));
        // A surrogate pair stays one token.
        Assert.Equal(["a", "😀", "b"], new CharacterTokenizer().Tokenize("a😀b"));
    }

    [Fact]
    public void BpeWithTheSeedsMergesGivesTheSeedsSubwords()
    {
        var bpe = BpeTokenizer.FromMerges([("H", "e"), ("l", "l"), ("ll", "o</w>"), ("w", "o"), ("r", "l"), ("rl", "d</w>")],
            extraSymbols: [",</w>", "!</w>"]);
        Assert.Equal(["He", "llo", ",", "wo", "rld", "!"], bpe.Tokenize(Hello));
        Assert.Equal(["He", "llo</w>", ",</w>", "wo", "rld</w>", "!</w>"], bpe.EncodeToTokens(Hello));
        int[] ids = bpe.Encode(Hello);
        Assert.Equal(6, ids.Length);
        Assert.Equal(Hello, bpe.Decode(ids));
        // Every id is a real token: none is the unknown id.
        Assert.DoesNotContain(bpe.Vocabulary.UnknownId, ids);
    }

    private static readonly string[] Corpus =
    [
        "the lower the newer the wider", "low lower lowest newest widest", "new newer newest, wide wider widest!",
        "the slow snow is lower than the new snow", "hello world, hello there", "worldwide the world is wide",
    ];

    [Fact]
    public void BpeTrainingIsDeterministicAndMergesFrequentPairsFirst()
    {
        var a = BpeTokenizer.Train(Corpus, mergeCount: 40);
        var b = BpeTokenizer.Train(Corpus.Reverse(), mergeCount: 40);
        Assert.Equal(a.Merges, b.Merges);
        Assert.True(a.Merges.Count is > 10 and <= 40);
        // "the</w>" (5 times) is learned whole; the first merge is the most frequent pair.
        Assert.Equal(["the"], a.Tokenize("the"));
        Assert.Equal(MostFrequentPair(Corpus), a.Merges[0]);
        Assert.Equal("the lowest newer, wider!", a.Decode(a.Encode("the lowest newer, wider!")));
        // A character never seen maps to the unknown id.
        Assert.Contains(a.Vocabulary.UnknownId, a.Encode("zebra"));
    }

    /// <summary>Independent count of adjacent character pairs over words (last character suffixed); ties: ordinal.</summary>
    private static (string, string) MostFrequentPair(IEnumerable<string> texts)
    {
        var counts = new Dictionary<(string, string), int>();
        foreach (string word in texts.SelectMany(t => new WordTokenizer().Tokenize(t)))
        {
            var symbols = word.Select(c => c.ToString()).ToList();
            symbols[^1] += "</w>";
            for (int i = 0; i + 1 < symbols.Count; i++) counts[(symbols[i], symbols[i + 1])] = counts.GetValueOrDefault((symbols[i], symbols[i + 1])) + 1;
        }
        return counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal).First().Key;
    }

    /// <summary>Textbook BPE: recount every pair after every merge (slow, obviously right).</summary>
    private static List<(string, string)> NaiveMerges(IEnumerable<string> texts, int mergeCount)
    {
        var words = texts.SelectMany(t => new WordTokenizer().Tokenize(t)).GroupBy(w => w)
            .Select(g => (Symbols: g.Key.Select(c => c.ToString()).ToList(), Count: g.Count())).ToList();
        foreach (var w in words) w.Symbols[^1] += "</w>";
        var merges = new List<(string, string)>();
        for (int m = 0; m < mergeCount; m++)
        {
            var counts = new Dictionary<(string, string), int>();
            foreach (var (symbols, count) in words)
                for (int i = 0; i + 1 < symbols.Count; i++) counts[(symbols[i], symbols[i + 1])] = counts.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
            if (counts.Count == 0) break;
            var best = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal).First();
            if (best.Value < 2) break;
            merges.Add(best.Key);
            foreach (var (symbols, _) in words)
                for (int i = 0; i + 1 < symbols.Count; i++)
                    if (symbols[i] == best.Key.Item1 && symbols[i + 1] == best.Key.Item2) { symbols[i] += symbols[i + 1]; symbols.RemoveAt(i + 1); }
        }
        return merges;
    }

    [Fact]
    public void IncrementalBpeTrainingEqualsTextbookBpe()
    {
        var texts = File.ReadLines(Embeddings.RepoPaths.Data("royal-corpus.txt")).Take(300).Concat(Corpus).ToList();
        Assert.Equal(NaiveMerges(texts, 150), BpeTokenizer.Train(texts, 150).Merges);
    }

    [Fact]
    public void BpeSavesAndLoads()
    {
        var bpe = BpeTokenizer.Train(Corpus, mergeCount: 30);
        string dir = Embeddings.RepoPaths.TempDirectory();
        bpe.Save(Path.Combine(dir, "vocab.json"), Path.Combine(dir, "merges.txt"));
        var loaded = BpeTokenizer.Load(Path.Combine(dir, "vocab.json"), Path.Combine(dir, "merges.txt"));
        Assert.Equal(bpe.Merges, loaded.Merges);
        Assert.Equal(bpe.Vocabulary.Tokens, loaded.Vocabulary.Tokens);
        const string text = "the newest lower world, hello!";
        Assert.Equal(bpe.Encode(text), loaded.Encode(text));
        File.WriteAllText(Path.Combine(dir, "bad.txt"), "#version: 0.2\nl o\nthis has three\n");
        var error = Assert.Throws<FormatException>(() => BpeTokenizer.Load(Path.Combine(dir, "vocab.json"), Path.Combine(dir, "bad.txt")));
        Assert.Contains("bad.txt:3", error.Message);
    }

    [Fact]
    public void BpeAgreesWithMicrosoftMLTokenizers()
    {
        var ours = BpeTokenizer.Train(Corpus, mergeCount: 60);
        string dir = Embeddings.RepoPaths.TempDirectory();
        string vocab = Path.Combine(dir, "vocab.json"), merges = Path.Combine(dir, "merges.txt");
        ours.Save(vocab, merges);
        var reference = Microsoft.ML.Tokenizers.BpeTokenizer.Create(vocab, merges,
            preTokenizer: Microsoft.ML.Tokenizers.PreTokenizer.CreateWordOrNonWord(), normalizer: null, specialTokens: null,
            unknownToken: "<unk>", continuingSubwordPrefix: null, endOfWordSuffix: "</w>", fuseUnknownTokens: false);
        foreach (string text in new[] { "the lowest newer, wider world!", "hello there, snow is slow.", "newest widest lower", "wonder the widow" })
        {
            int[] expected = reference.EncodeToIds(text).ToArray();
            Assert.Equal(expected, ours.Encode(text));
            Assert.Equal(reference.EncodeToTokens(text, out _).Select(t => t.Value), ours.EncodeToTokens(text));
        }
    }
}

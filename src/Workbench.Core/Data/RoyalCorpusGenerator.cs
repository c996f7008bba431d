using Workbench.IO;

namespace Workbench.Data;

/// <summary>
/// Generates the small synthetic English corpus shipped as data/embeddings/royal-corpus.txt, on which skip-gram learns
/// in seconds that king − man + woman ≈ queen. Each sentence is about one person word from a grid of
/// gender (male/female) × rank (royal/common) × age (adult/young), or about a fruit; its other words are drawn from
/// pools tied to those attributes (he/his or she/her, throne/palace or village/market, school/toy or work/house,
/// juice/tree) and to the (male, female) pair itself (kingdom/majesty for both king and queen), mixed with function
/// words. Vectors then carry the attributes additively, which is what word
/// analogies need. Deterministic: the same seed gives the same text on every machine.
/// </summary>
public static class RoyalCorpusGenerator
{
    /// <summary>The person words: (male, female) pairs by rank and age.</summary>
    public static IReadOnlyList<(string Male, string Female, bool Royal, bool Young, string[] Topic)> People { get; } =
    [
        ("man", "woman", false, false, ["ordinary", "everyday"]), ("king", "queen", true, false, ["kingdom", "majesty"]),
        ("boy", "girl", false, true, ["playground", "kid"]), ("prince", "princess", true, true, ["heir", "fairytale"]),
        ("father", "mother", false, false, ["parent", "baby"]), ("son", "daughter", false, true, ["parents", "inherit"]),
        ("brother", "sister", false, true, ["sibling", "twin"]), ("husband", "wife", false, false, ["wedding", "marriage"]),
        ("lord", "lady", true, false, ["manor", "estate"]), ("duke", "duchess", true, false, ["duchy", "dukedom"]),
        ("emperor", "empress", true, false, ["empire", "imperial"]), ("uncle", "aunt", false, false, ["nephew", "niece"]),
    ];

    /// <summary>Fruit words (the featurized example's Apple and Orange, with company).</summary>
    public static IReadOnlyList<string> Fruits { get; } = ["apple", "orange", "banana", "pear", "grape", "mango", "lemon", "cherry"];

    private static readonly string[] Male = ["he", "his", "him", "himself"];
    private static readonly string[] Female = ["she", "her", "hers", "herself"];
    private static readonly string[] Royal = ["throne", "crown", "palace", "royal", "court", "castle", "reign", "crowned", "realm", "noble", "scepter"];
    private static readonly string[] Common = ["village", "farm", "market", "street", "town", "field", "shop", "cottage", "neighbours", "bread", "cart", "mill"];
    private static readonly string[] Young = ["school", "toy", "played", "little", "young", "lessons", "games", "childhood"];
    private static readonly string[] Adult = ["work", "house", "years", "grown", "old", "family", "duties", "wisdom"];
    private static readonly string[] Food = ["juice", "tree", "sweet", "ripe", "eat", "peel", "fresh", "basket", "seeds", "orchard"];
    private static readonly string[] Function = ["the", "a", "and", "of", "in", "with", "to", "was", "on", "at", "by", "for"];
    private static readonly string[] Verbs = ["walked", "spoke", "sat", "smiled", "stood", "waited", "looked", "rested"];

    /// <summary>Yields <paramref name="count"/> sentences (lower-case words separated by single spaces).</summary>
    public static IEnumerable<string> Sentences(int count, ulong seed = 2026)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ulong state = seed;
        var words = new List<string>(16);
        for (int s = 0; s < count; s++)
        {
            words.Clear();
            if (Next(ref state, 8) == 0)
            {
                string fruit = Fruits[Next(ref state, Fruits.Count)];
                words.Add(Pick(Function, ref state));
                words.Add(fruit);
                for (int k = 0; k < 8; k++)
                    words.Add(k % 2 == 0 ? Pick(Food, ref state) : Pick(Function, ref state));
            }
            else
            {
                var person = People[Next(ref state, People.Count)];
                bool male = Next(ref state, 2) == 0;
                string subject = male ? person.Male : person.Female;
                string[] gender = male ? Male : Female;
                string[] rank = person.Royal ? Royal : Common;
                string[] age = person.Young ? Young : Adult;
                words.Add("the");
                words.Add(subject);
                words.Add(Pick(Verbs, ref state));
                // Attribute words in random order, each followed by a function word or not.
                string[][] pools = [gender, rank, age, person.Topic, gender, rank, age, person.Topic];
                for (int k = pools.Length - 1; k > 0; k--)
                {
                    int j = Next(ref state, k + 1);
                    (pools[k], pools[j]) = (pools[j], pools[k]);
                }
                foreach (string[] pool in pools)
                {
                    if (Next(ref state, 2) == 0) words.Add(Pick(Function, ref state));
                    words.Add(Pick(pool, ref state));
                }
            }
            yield return string.Join(' ', words);
        }
    }

    /// <summary>Writes <paramref name="count"/> sentences, one per line, atomically.</summary>
    public static void Write(string path, int count, ulong seed = 2026) =>
        AtomicFile.WriteText(path, writer =>
        {
            foreach (string sentence in Sentences(count, seed)) { writer.Write(sentence); writer.Write('\n'); }
        });

    private static string Pick(string[] pool, ref ulong state) => pool[Next(ref state, pool.Length)];

    /// <summary>SplitMix64, reduced to [0, n): fixed arithmetic, so the corpus is identical everywhere.</summary>
    private static int Next(ref ulong state, int n)
    {
        state += 0x9E3779B97F4A7C15UL;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z % (ulong)n);
    }
}

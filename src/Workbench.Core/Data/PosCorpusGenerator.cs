namespace Workbench.Data;

/// <summary>
/// Generates a part-of-speech tagged corpus (universal tags) from a small grammar whose words are often both noun and
/// verb ("saw", "watch", "drill", ...). Most of them are decided by the words on the left ("I saw a saw": VERB after
/// a pronoun, NOUN after a determiner), but a sentence-initial ambiguous word is decided only by the word on its
/// RIGHT: "saw the plank ." (imperative, VERB) against "saw blades cut the plank ." (noun modifier, NOUN).
/// A left-to-right tagger can only guess there; a bidirectional one sees the next word.
/// </summary>
public static class PosCorpusGenerator
{
    /// <summary>The tag set.</summary>
    public static IReadOnlyList<string> TagSet { get; } = ["ADJ", "ADP", "DET", "NOUN", "PRON", "PUNCT", "VERB"];

    /// <summary>Words that the grammar uses both as NOUN and as VERB.</summary>
    public static IReadOnlyList<string> AmbiguousWords { get; } = ["saw", "watch", "drill", "hammer", "file", "plant", "paint", "ring", "fish", "duck"];

    private static readonly string[] Subjects = ["I", "you", "we", "they", "he", "she"];
    private static readonly string[] Objects = ["them", "him", "us", "it", "me"];
    private static readonly string[] Determiners = ["the", "a", "this", "that", "my", "your", "every"];
    private static readonly string[] Adjectives = ["old", "new", "small", "big", "red", "sharp", "heavy", "quiet", "green", "broken"];
    private static readonly string[] PlainNouns = ["plank", "table", "dog", "cat", "box", "door", "garden", "boat", "house", "child", "man", "woman", "river", "window", "letter", "shed"];
    private static readonly string[] PlainVerbs = ["see", "cut", "fix", "carry", "find", "like", "want", "hold", "move", "open", "clean", "sell"];
    private static readonly string[] PluralNouns = ["blades", "teeth", "marks", "parts", "handles", "cases", "boxes", "shops"];
    private static readonly string[] Prepositions = ["in", "on", "with", "near", "under", "behind"];

    /// <summary>Generates <paramref name="count"/> sentences deterministically from <paramref name="seed"/>.</summary>
    public static IReadOnlyList<TaggedSentence> Generate(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 0);
        var random = new Random(seed);
        var sentences = new List<TaggedSentence>(count);
        for (int i = 0; i < count; i++)
        {
            var words = new List<string>();
            var tags = new List<string>();
            void Add(string word, string tag) { words.Add(word); tags.Add(tag); }
            string Pick(string[] choices) => choices[random.Next(choices.Length)];
            string Noun() => random.Next(2) == 0 ? Pick(PlainNouns) : AmbiguousWords[random.Next(AmbiguousWords.Count)];
            string Verb() => random.Next(2) == 0 ? Pick(PlainVerbs) : AmbiguousWords[random.Next(AmbiguousWords.Count)];
            void NounPhrase()
            {
                Add(Pick(Determiners), "DET");
                if (random.Next(3) == 0) Add(Pick(Adjectives), "ADJ");
                Add(Noun(), "NOUN");
            }
            void MaybePrepositionalPhrase()
            {
                if (random.Next(3) != 0) return;
                Add(Pick(Prepositions), "ADP");
                NounPhrase();
            }

            switch (random.Next(6))
            {
                case 0: // I saw a saw .
                case 1:
                    Add(Pick(Subjects), "PRON");
                    Add(Verb(), "VERB");
                    NounPhrase();
                    MaybePrepositionalPhrase();
                    break;
                case 2: // the old saw cut the plank .
                    NounPhrase();
                    Add(Verb(), "VERB");
                    NounPhrase();
                    MaybePrepositionalPhrase();
                    break;
                case 3: // we watch them paint the door .
                    Add(Pick(Subjects), "PRON");
                    Add(Verb(), "VERB");
                    Add(Pick(Objects), "PRON");
                    Add(Verb(), "VERB");
                    NounPhrase();
                    break;
                case 4: // saw the plank .   (imperative: the ambiguous first word is a VERB, known only from "the")
                    Add(AmbiguousWords[random.Next(AmbiguousWords.Count)], "VERB");
                    NounPhrase();
                    MaybePrepositionalPhrase();
                    break;
                default: // saw blades cut the plank .   (noun modifier: the first word is a NOUN, known only from "blades")
                    Add(AmbiguousWords[random.Next(AmbiguousWords.Count)], "NOUN");
                    Add(Pick(PluralNouns), "NOUN");
                    Add(Verb(), "VERB");
                    NounPhrase();
                    break;
            }
            Add(".", "PUNCT");
            sentences.Add(new TaggedSentence(words.ToArray(), tags.ToArray()));
        }
        return sentences;
    }
}

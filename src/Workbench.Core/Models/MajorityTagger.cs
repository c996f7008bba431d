using Workbench.Data;

namespace Workbench.Models;

/// <summary>
/// The context-free baseline of part-of-speech tagging: every word gets the tag it carries most often in the training
/// sentences, whatever its neighbours; an unseen word gets the most frequent tag overall. It must give both words
/// of "I saw a saw" the same tag, which is what a recurrent tagger is measured against. Ties go to the tag that
/// sorts first (ordinal), so the result does not depend on the order of the sentences.
/// </summary>
public sealed class MajorityTagger
{
    private readonly Dictionary<string, string> byWord;

    private MajorityTagger(Dictionary<string, string> byWord, string fallback)
    {
        this.byWord = byWord;
        FallbackTag = fallback;
    }

    /// <summary>The tag given to a word never seen in training: the most frequent tag of the training data.</summary>
    public string FallbackTag { get; }

    /// <summary>Counts the tags of every word in <paramref name="sentences"/> and keeps each word's majority tag.</summary>
    public static MajorityTagger Fit(IEnumerable<TaggedSentence> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var counts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var overall = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sentence in sentences)
            for (int i = 0; i < sentence.Words.Count; i++)
            {
                string word = sentence.Words[i], tag = sentence.Tags[i];
                if (!counts.TryGetValue(word, out var tags)) counts[word] = tags = new(StringComparer.Ordinal);
                tags[tag] = tags.GetValueOrDefault(tag) + 1;
                overall[tag] = overall.GetValueOrDefault(tag) + 1;
            }
        if (overall.Count == 0) throw new ArgumentException("MajorityTagger.Fit needs at least one tagged word.", nameof(sentences));
        return new MajorityTagger(counts.ToDictionary(p => p.Key, p => Majority(p.Value), StringComparer.Ordinal), Majority(overall));
    }

    /// <summary>The majority tag of <paramref name="word"/> (<see cref="FallbackTag"/> if it was never seen).</summary>
    public string Tag(string word) => byWord.GetValueOrDefault(word, FallbackTag);

    /// <summary>Tags every word of a sentence independently: the same word always gets the same tag.</summary>
    public IReadOnlyList<string> Tag(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return words.Select(Tag).ToArray();
    }

    /// <summary>
    /// The fraction of tokens of <paramref name="sentences"/> tagged correctly, counting only the tokens for which
    /// <paramref name="include"/> is true (all when it is null).
    /// </summary>
    public double Accuracy(IEnumerable<TaggedSentence> sentences, Func<string, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        int right = 0, total = 0;
        foreach (var sentence in sentences)
            for (int i = 0; i < sentence.Words.Count; i++)
            {
                if (include is not null && !include(sentence.Words[i])) continue;
                total++;
                if (Tag(sentence.Words[i]) == sentence.Tags[i]) right++;
            }
        if (total == 0) throw new ArgumentException("MajorityTagger.Accuracy: no token to score.", nameof(sentences));
        return (double)right / total;
    }

    private static string Majority(Dictionary<string, int> counts) =>
        counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First().Key;
}

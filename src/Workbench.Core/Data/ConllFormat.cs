using System.Text;
using Workbench.IO;

namespace Workbench.Data;

/// <summary>
/// The two-column CoNLL layout: one <c>word&lt;TAB&gt;tag</c> per line, a blank line between sentences; lines starting
/// with <c>#</c> are comments. More columns are accepted: the first is the word, the last the tag.
/// </summary>
public static class ConllFormat
{
    /// <summary>Reads every sentence of <paramref name="path"/>; a malformed line throws naming the file and line.</summary>
    public static IReadOnlyList<TaggedSentence> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CoNLL file not found: {path}", path);
        var sentences = new List<TaggedSentence>();
        var words = new List<string>();
        var tags = new List<string>();
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                Flush();
                continue;
            }
            if (line.StartsWith('#')) continue;
            string[] cells = line.Split('\t');
            if (cells.Length < 2) cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length < 2)
                throw new DataFormatException(path, lineNumber, $"expected 'word<TAB>tag', found '{line}'");
            string word = cells[0].Trim(), tag = cells[^1].Trim();
            if (word.Length == 0 || tag.Length == 0)
                throw new DataFormatException(path, lineNumber, "empty word or tag");
            words.Add(word);
            tags.Add(tag);
        }
        Flush();
        return sentences;

        void Flush()
        {
            if (words.Count == 0) return;
            sentences.Add(new TaggedSentence(words.ToArray(), tags.ToArray()));
            words.Clear();
            tags.Clear();
        }
    }

    /// <summary>The CoNLL text of <paramref name="sentences"/>.</summary>
    public static string Format(IEnumerable<TaggedSentence> sentences)
    {
        var sb = new StringBuilder();
        foreach (var s in sentences)
        {
            for (int i = 0; i < s.Words.Count; i++) sb.Append(s.Words[i]).Append('\t').Append(s.Tags[i]).Append('\n');
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes <paramref name="sentences"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<TaggedSentence> sentences) => AtomicFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(Format(sentences)));

    /// <summary>
    /// Turns sentences into id sequences with the given vocabularies (unknown words map to <see cref="SymbolVocabulary.Unknown"/>;
    /// an unknown tag throws naming it).
    /// </summary>
    public static TaggedSequenceSet Encode(IEnumerable<TaggedSentence> sentences, SymbolVocabulary words, SymbolVocabulary tags)
    {
        var inputs = new List<int[]>();
        var targets = new List<int[]>();
        foreach (var s in sentences)
        {
            inputs.Add(words.Encode(s.Words));
            targets.Add(tags.Encode(s.Tags));
        }
        return new TaggedSequenceSet(inputs, targets, words.Count, tags.Count);
    }
}

namespace Workbench.Data;

/// <summary>A sentence with one tag per word.</summary>
public sealed record TaggedSentence
{
    /// <summary>The words.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The tag of each word.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Creates the sentence; words and tags must pair up.</summary>
    public TaggedSentence(IReadOnlyList<string> words, IReadOnlyList<string> tags)
    {
        if (words.Count != tags.Count) throw new ArgumentException($"{words.Count} words but {tags.Count} tags.");
        Words = words;
        Tags = tags;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(" ", Words.Zip(Tags, (w, t) => $"{w}/{t}"));
}

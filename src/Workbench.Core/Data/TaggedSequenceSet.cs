namespace Workbench.Data;

/// <summary>
/// Token sequences with one target per step (a tag, a symbol to reproduce, or <see cref="TokenBatch.IgnoreIndex"/>):
/// the copy task and part-of-speech tagging use it.
/// </summary>
public sealed class TaggedSequenceSet
{
    /// <summary>The token ids of each sequence.</summary>
    public IReadOnlyList<int[]> Inputs { get; }

    /// <summary>The per-step targets of each sequence (same lengths as <see cref="Inputs"/>).</summary>
    public IReadOnlyList<int[]> Targets { get; }

    /// <summary>Number of distinct input tokens (ids are 0..VocabularySize-1).</summary>
    public int VocabularySize { get; }

    /// <summary>Number of target classes (ids are 0..ClassCount-1).</summary>
    public int ClassCount { get; }

    /// <summary>Number of sequences.</summary>
    public int Count => Inputs.Count;

    /// <summary>Creates the set, checking that every target sequence matches its input length and ranges.</summary>
    public TaggedSequenceSet(IReadOnlyList<int[]> inputs, IReadOnlyList<int[]> targets, int vocabularySize, int classCount)
    {
        if (inputs.Count != targets.Count) throw new ArgumentException($"{inputs.Count} input sequences but {targets.Count} target sequences.");
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Length != targets[i].Length)
                throw new ArgumentException($"Sequence {i} has {inputs[i].Length} tokens but {targets[i].Length} targets.");
            foreach (int token in inputs[i])
                if ((uint)token >= (uint)vocabularySize) throw new ArgumentException($"Sequence {i} holds token {token}, outside 0..{vocabularySize - 1}.");
            foreach (int target in targets[i])
                if (target != TokenBatch.IgnoreIndex && (uint)target >= (uint)classCount)
                    throw new ArgumentException($"Sequence {i} holds target {target}, outside 0..{classCount - 1}.");
        }
        Inputs = inputs;
        Targets = targets;
        VocabularySize = vocabularySize;
        ClassCount = classCount;
    }

    /// <summary>The sequences at <paramref name="indices"/> as a padded batch.</summary>
    public TokenBatch GetBatch(ReadOnlySpan<int> indices)
    {
        var x = new int[indices.Length][];
        var y = new int[indices.Length][];
        for (int j = 0; j < indices.Length; j++) { x[j] = Inputs[indices[j]]; y[j] = Targets[indices[j]]; }
        return TokenBatch.Create(x, y, null);
    }

    /// <summary>The sequences in [start, start + count).</summary>
    public TaggedSequenceSet Slice(int start, int count) =>
        new(Inputs.Skip(start).Take(count).ToArray(), Targets.Skip(start).Take(count).ToArray(), VocabularySize, ClassCount);
}

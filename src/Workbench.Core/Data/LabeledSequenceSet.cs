namespace Workbench.Data;

/// <summary>Token sequences with one class label per sequence: the temporal-order task uses it.</summary>
public sealed class LabeledSequenceSet
{
    /// <summary>The token ids of each sequence.</summary>
    public IReadOnlyList<int[]> Inputs { get; }

    /// <summary>The class of each sequence.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Number of distinct input tokens.</summary>
    public int VocabularySize { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Number of sequences.</summary>
    public int Count => Inputs.Count;

    /// <summary>Creates the set, checking ranges.</summary>
    public LabeledSequenceSet(IReadOnlyList<int[]> inputs, IReadOnlyList<int> labels, int vocabularySize, int classCount)
    {
        if (inputs.Count != labels.Count) throw new ArgumentException($"{inputs.Count} sequences but {labels.Count} labels.");
        for (int i = 0; i < inputs.Count; i++)
        {
            foreach (int token in inputs[i])
                if ((uint)token >= (uint)vocabularySize) throw new ArgumentException($"Sequence {i} holds token {token}, outside 0..{vocabularySize - 1}.");
            if ((uint)labels[i] >= (uint)classCount) throw new ArgumentException($"Sequence {i} has label {labels[i]}, outside 0..{classCount - 1}.");
        }
        Inputs = inputs;
        Labels = labels;
        VocabularySize = vocabularySize;
        ClassCount = classCount;
    }

    /// <summary>The sequences at <paramref name="indices"/> as a padded batch with <see cref="TokenBatch.Labels"/>.</summary>
    public TokenBatch GetBatch(ReadOnlySpan<int> indices)
    {
        var x = new int[indices.Length][];
        var y = new int[indices.Length];
        for (int j = 0; j < indices.Length; j++) { x[j] = Inputs[indices[j]]; y[j] = Labels[indices[j]]; }
        return TokenBatch.Create(x, null, y);
    }

    /// <summary>The sequences in [start, start + count).</summary>
    public LabeledSequenceSet Slice(int start, int count) =>
        new(Inputs.Skip(start).Take(count).ToArray(), Labels.Skip(start).Take(count).ToArray(), VocabularySize, ClassCount);
}

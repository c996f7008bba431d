namespace Workbench.Data;

/// <summary>
/// What the labelled and the tagged sequence sets share: token sequences with ids in 0..VocabularySize−1, one target
/// per sequence (<typeparamref name="TTarget"/> = int, a class) or per step (int[], tags), checked once when the set
/// is made, and padded minibatches of them.
/// </summary>
public abstract class TokenSequenceSet<TTarget>
{
    /// <summary>Checks and keeps the sequences; <paramref name="names"/> says what the two lists are in errors.</summary>
    private protected TokenSequenceSet(IReadOnlyList<int[]> inputs, IReadOnlyList<TTarget> targets, int vocabularySize, int classCount,
        (string Inputs, string Targets) names)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Count != targets.Count) throw new ArgumentException($"{inputs.Count} {names.Inputs} but {targets.Count} {names.Targets}.");
        for (int i = 0; i < inputs.Count; i++)
        {
            CheckLength(i, inputs[i], targets[i]);
            foreach (int token in inputs[i])
                if ((uint)token >= (uint)vocabularySize) throw new ArgumentException($"Sequence {i} holds token {token}, outside 0..{vocabularySize - 1}.");
            CheckTarget(i, targets[i], classCount);
        }
        Inputs = inputs;
        TargetList = targets;
        VocabularySize = vocabularySize;
        ClassCount = classCount;
    }

    /// <summary>The token ids of each sequence.</summary>
    public IReadOnlyList<int[]> Inputs { get; }

    /// <summary>Number of distinct input tokens (ids are 0..VocabularySize-1).</summary>
    public int VocabularySize { get; }

    /// <summary>Number of classes (ids are 0..ClassCount-1).</summary>
    public int ClassCount { get; }

    /// <summary>Number of sequences.</summary>
    public int Count => Inputs.Count;

    /// <summary>The target of each sequence.</summary>
    private protected IReadOnlyList<TTarget> TargetList { get; }

    /// <summary>The sequences at <paramref name="indices"/> as a padded batch with their targets.</summary>
    public TokenBatch GetBatch(ReadOnlySpan<int> indices)
    {
        var x = new int[indices.Length][];
        var y = new TTarget[indices.Length];
        for (int j = 0; j < indices.Length; j++) { x[j] = Inputs[indices[j]]; y[j] = TargetList[indices[j]]; }
        return CreateBatch(x, y);
    }

    /// <summary>The inputs and targets of the sequences in [start, start + count), for a derived set's Slice.</summary>
    private protected (int[][] Inputs, TTarget[] Targets) Range(int start, int count) =>
        (Inputs.Skip(start).Take(count).ToArray(), TargetList.Skip(start).Take(count).ToArray());

    /// <summary>The padded batch of <paramref name="inputs"/> with <paramref name="targets"/> where a batch keeps them.</summary>
    private protected abstract TokenBatch CreateBatch(int[][] inputs, TTarget[] targets);

    /// <summary>Throws when the target of sequence <paramref name="index"/> does not fit its length (per-step targets).</summary>
    private protected virtual void CheckLength(int index, int[] input, TTarget target) { }

    /// <summary>Throws when the target of sequence <paramref name="index"/> is outside the classes.</summary>
    private protected abstract void CheckTarget(int index, TTarget target, int classCount);
}

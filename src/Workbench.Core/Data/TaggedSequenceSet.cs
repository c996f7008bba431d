namespace Workbench.Data;

/// <summary>
/// Token sequences with one target per step (a tag, a symbol to reproduce, or <see cref="TokenBatch.IgnoreIndex"/>):
/// the copy task and part-of-speech tagging use it.
/// </summary>
public sealed class TaggedSequenceSet : TokenSequenceSet<int[]>
{
    /// <summary>Creates the set, checking that every target sequence matches its input length and ranges.</summary>
    public TaggedSequenceSet(IReadOnlyList<int[]> inputs, IReadOnlyList<int[]> targets, int vocabularySize, int classCount)
        : base(inputs, targets, vocabularySize, classCount, ("input sequences", "target sequences")) { }

    /// <summary>The per-step targets of each sequence (same lengths as <see cref="TokenSequenceSet{TTarget}.Inputs"/>).</summary>
    public IReadOnlyList<int[]> Targets => TargetList;

    /// <summary>The sequences in [start, start + count).</summary>
    public TaggedSequenceSet Slice(int start, int count)
    {
        var (inputs, targets) = Range(start, count);
        return new(inputs, targets, VocabularySize, ClassCount);
    }

    private protected override TokenBatch CreateBatch(int[][] inputs, int[][] targets) => TokenBatch.Create(inputs, targets, null);

    private protected override void CheckLength(int index, int[] input, int[] target)
    {
        if (input.Length != target.Length)
            throw new ArgumentException($"Sequence {index} has {input.Length} tokens but {target.Length} targets.");
    }

    private protected override void CheckTarget(int index, int[] target, int classCount)
    {
        foreach (int t in target)
            if (t != TokenBatch.IgnoreIndex && (uint)t >= (uint)classCount)
                throw new ArgumentException($"Sequence {index} holds target {t}, outside 0..{classCount - 1}.");
    }
}

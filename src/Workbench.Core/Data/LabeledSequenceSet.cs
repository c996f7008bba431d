namespace Workbench.Data;

/// <summary>Token sequences with one class label per sequence: the temporal-order task uses it.</summary>
public sealed class LabeledSequenceSet : TokenSequenceSet<int>
{
    /// <summary>Creates the set, checking ranges.</summary>
    public LabeledSequenceSet(IReadOnlyList<int[]> inputs, IReadOnlyList<int> labels, int vocabularySize, int classCount)
        : base(inputs, labels, vocabularySize, classCount, ("sequences", "labels")) { }

    /// <summary>The class of each sequence.</summary>
    public IReadOnlyList<int> Labels => TargetList;

    /// <summary>The sequences in [start, start + count).</summary>
    public LabeledSequenceSet Slice(int start, int count)
    {
        var (inputs, labels) = Range(start, count);
        return new(inputs, labels, VocabularySize, ClassCount);
    }

    private protected override TokenBatch CreateBatch(int[][] inputs, int[] targets) => TokenBatch.Create(inputs, null, targets);

    private protected override void CheckTarget(int index, int target, int classCount)
    {
        if ((uint)target >= (uint)classCount) throw new ArgumentException($"Sequence {index} has label {target}, outside 0..{classCount - 1}.");
    }
}

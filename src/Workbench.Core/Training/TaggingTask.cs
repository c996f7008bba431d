using System.Numerics;
using Workbench.Data;
using Workbench.Models;
using Workbench.Tensors;

namespace Workbench.Training;

/// <summary>Per-step classification (tagging, the copy task): softmax cross-entropy at every scored step; accuracy over scored steps.</summary>
public sealed class TaggingTask<T> : CrossEntropyTask<T, SequenceTagger<T>, int[], TaggedSequenceSet>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/> in shuffled minibatches; validates on <paramref name="validation"/>.</summary>
    public TaggingTask(SequenceTagger<T> model, TaggedSequenceSet train, TaggedSequenceSet? validation, int batchSize)
        : base(model, train, validation, batchSize) { }

    /// <inheritdoc/>
    protected override int ClassCount => Model.ClassCount;

    /// <inheritdoc/>
    protected override NdArray<T> LogitRows(TokenBatch batch) => Model.Forward(batch).Reshape(batch.Steps * batch.BatchSize, Model.ClassCount);

    /// <inheritdoc/>
    protected override int[]? TargetsOf(TokenBatch batch) => batch.Targets;

    /// <inheritdoc/>
    protected override void Backward(NdArray<T> gradLogitRows, TokenBatch batch) =>
        Model.Backward(gradLogitRows.Reshape(batch.Steps, batch.BatchSize, Model.ClassCount));
}

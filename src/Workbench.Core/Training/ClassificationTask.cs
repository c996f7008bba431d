using System.Numerics;
using Workbench.Data;
using Workbench.Models;
using Workbench.Tensors;

namespace Workbench.Training;

/// <summary>One label per sequence (the temporal-order task): softmax cross-entropy on the final state; accuracy.</summary>
public sealed class ClassificationTask<T> : CrossEntropyTask<T, SequenceClassifier<T>, int, LabeledSequenceSet>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/>; validates on <paramref name="validation"/>.</summary>
    public ClassificationTask(SequenceClassifier<T> model, LabeledSequenceSet train, LabeledSequenceSet? validation, int batchSize)
        : base(model, train, validation, batchSize) { }

    /// <inheritdoc/>
    protected override int ClassCount => Model.Head.OutFeatures;

    /// <inheritdoc/>
    protected override NdArray<T> LogitRows(TokenBatch batch) => Model.Forward(batch);

    /// <inheritdoc/>
    protected override int[]? TargetsOf(TokenBatch batch) => batch.Labels;

    /// <inheritdoc/>
    protected override void Backward(NdArray<T> gradLogitRows, TokenBatch batch) => Model.Backward(gradLogitRows);
}

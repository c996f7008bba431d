using System.Numerics;
using Workbench.Data;
using Workbench.Losses;
using Workbench.Models;

namespace Workbench.Training;

/// <summary>One label per sequence (the temporal-order task): softmax cross-entropy on the final state; accuracy.</summary>
public sealed class ClassificationTask<T> : MinibatchTask<T, SequenceClassifier<T>, LabeledSequenceSet>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/>; validates on <paramref name="validation"/>.</summary>
    public ClassificationTask(SequenceClassifier<T> model, LabeledSequenceSet train, LabeledSequenceSet? validation, int batchSize)
        : base(model, train, validation, batchSize) { }

    /// <inheritdoc/>
    protected override int CountOf(LabeledSequenceSet set) => set.Count;

    /// <inheritdoc/>
    protected override BatchLoss TrainOn(ReadOnlySpan<int> indices)
    {
        var batch = Train.GetBatch(indices);
        var logits = Model.Forward(batch);
        var loss = CrossEntropyLoss.Compute(logits, batch.Labels);
        double value = double.CreateChecked(loss.Loss);
        if (double.IsFinite(value)) Model.Backward(loss.Gradient);
        return new BatchLoss(value, batch.Lengths.Sum());
    }

    /// <summary>Mean cross-entropy and accuracy over <paramref name="set"/>.</summary>
    public override Evaluation Evaluate(LabeledSequenceSet set, CancellationToken cancellationToken = default)
    {
        double total = 0;
        long correct = 0;
        int classes = Model.Head.OutFeatures;
        foreach (int[] indices in EvaluationBatches(set, cancellationToken))
        {
            var batch = set.GetBatch(indices);
            var logits = Model.Forward(batch);
            var loss = CrossEntropyLoss.Compute(logits, batch.Labels);
            total += double.CreateChecked(loss.Loss) * loss.Count;
            correct += Accuracy.CountCorrect<T>(logits.Data, classes, batch.Labels, TokenBatch.IgnoreIndex);
        }
        return new Evaluation(total / set.Count, (double)correct / set.Count, set.Count);
    }
}

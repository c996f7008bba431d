using System.Numerics;
using Workbench.Data;
using Workbench.Losses;
using Workbench.Models;

namespace Workbench.Training;

/// <summary>Per-step classification (tagging, the copy task): softmax cross-entropy at every scored step; accuracy over scored steps.</summary>
public sealed class TaggingTask<T> : MinibatchTask<T, SequenceTagger<T>, TaggedSequenceSet>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/> in shuffled minibatches; validates on <paramref name="validation"/>.</summary>
    public TaggingTask(SequenceTagger<T> model, TaggedSequenceSet train, TaggedSequenceSet? validation, int batchSize)
        : base(model, train, validation, batchSize) { }

    /// <inheritdoc/>
    protected override int CountOf(TaggedSequenceSet set) => set.Count;

    /// <inheritdoc/>
    protected override BatchLoss TrainOn(ReadOnlySpan<int> indices)
    {
        var batch = Train.GetBatch(indices);
        var logits = Model.Forward(batch);
        var loss = CrossEntropyLoss.Compute(logits.Reshape(batch.Steps * batch.BatchSize, Model.ClassCount), batch.Targets);
        double value = double.CreateChecked(loss.Loss);
        if (double.IsFinite(value)) Model.Backward(loss.Gradient.Reshape(batch.Steps, batch.BatchSize, Model.ClassCount));
        return new BatchLoss(value, batch.Lengths.Sum());
    }

    /// <summary>Mean cross-entropy and accuracy over the scored steps of <paramref name="set"/>.</summary>
    public override Evaluation Evaluate(TaggedSequenceSet set, CancellationToken cancellationToken = default)
    {
        double total = 0;
        long count = 0, correct = 0;
        int classes = Model.ClassCount;
        foreach (int[] indices in EvaluationBatches(set, cancellationToken))
        {
            var batch = set.GetBatch(indices);
            var logits = Model.Forward(batch);
            var flat = logits.Reshape(batch.Steps * batch.BatchSize, classes);
            var loss = CrossEntropyLoss.Compute(flat, batch.Targets);
            if (loss.Count == 0) continue;
            total += double.CreateChecked(loss.Loss) * loss.Count;
            count += loss.Count;
            correct += Accuracy.CountCorrect<T>(flat.Data, classes, batch.Targets, TokenBatch.IgnoreIndex);
        }
        return new Evaluation(count == 0 ? double.NaN : total / count, count == 0 ? null : (double)correct / count, count);
    }
}

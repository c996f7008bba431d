using System.Numerics;
using Workbench.Data;
using Workbench.Losses;
using Workbench.Models;
using Workbench.Tensors;

namespace Workbench.Training;

/// <summary>
/// What the classification and tagging tasks share: softmax cross-entropy on rows of logits (one row per sequence or
/// per step), back-propagated only when finite; evaluation as the mean loss and the accuracy over the scored rows
/// (rows whose target is <see cref="TokenBatch.IgnoreIndex"/> are not scored).
/// </summary>
public abstract class CrossEntropyTask<T, TModel, TTarget, TSet> : MinibatchTask<T, TModel, TSet>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
    where TModel : SequenceModel<T>
    where TSet : TokenSequenceSet<TTarget>
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/>; validates on <paramref name="validation"/>.</summary>
    protected CrossEntropyTask(TModel model, TSet train, TSet? validation, int batchSize) : base(model, train, validation, batchSize) { }

    /// <summary>Classes per row of logits.</summary>
    protected abstract int ClassCount { get; }

    /// <summary>The model's logits for <paramref name="batch"/>, as (rows, classes).</summary>
    protected abstract NdArray<T> LogitRows(TokenBatch batch);

    /// <summary>The target of each row of <see cref="LogitRows"/>.</summary>
    protected abstract int[]? TargetsOf(TokenBatch batch);

    /// <summary>Back-propagates ∂L/∂(logit rows) through the model.</summary>
    protected abstract void Backward(NdArray<T> gradLogitRows, TokenBatch batch);

    /// <inheritdoc/>
    protected sealed override int CountOf(TSet set) => set.Count;

    /// <inheritdoc/>
    protected sealed override BatchLoss TrainOn(ReadOnlySpan<int> indices)
    {
        var batch = Train.GetBatch(indices);
        var loss = CrossEntropyLoss.Compute(LogitRows(batch), TargetsOf(batch));
        double value = double.CreateChecked(loss.Loss);
        if (double.IsFinite(value)) Backward(loss.Gradient, batch);
        return new BatchLoss(value, batch.Lengths.Sum());
    }

    /// <summary>Mean cross-entropy and accuracy over the scored rows of <paramref name="set"/>.</summary>
    public sealed override Evaluation Evaluate(TSet set, CancellationToken cancellationToken = default)
    {
        double total = 0;
        long count = 0, correct = 0;
        foreach (int[] indices in EvaluationBatches(set, cancellationToken))
        {
            var batch = set.GetBatch(indices);
            var rows = LogitRows(batch);
            var loss = CrossEntropyLoss.Compute(rows, TargetsOf(batch));
            if (loss.Count == 0) continue;
            total += double.CreateChecked(loss.Loss) * loss.Count;
            count += loss.Count;
            correct += Accuracy.CountCorrect<T>(rows.Data, ClassCount, TargetsOf(batch), TokenBatch.IgnoreIndex);
        }
        return new Evaluation(count == 0 ? double.NaN : total / count, count == 0 ? null : (double)correct / count, count);
    }
}

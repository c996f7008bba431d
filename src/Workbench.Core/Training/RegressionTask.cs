using System.Numerics;
using Workbench.Data;
using Workbench.Losses;
using Workbench.Models;

namespace Workbench.Training;

/// <summary>Sequence regression (the adding problem, forecasting): mean squared error on the final-state prediction.</summary>
public sealed class RegressionTask<T> : MinibatchTask<T, SequenceRegressor<T>, SequenceRegressionSet<T>>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/>; validates on <paramref name="validation"/>.</summary>
    public RegressionTask(SequenceRegressor<T> model, SequenceRegressionSet<T> train, SequenceRegressionSet<T>? validation, int batchSize)
        : base(model, train, validation, batchSize)
    {
        if (model.PerStep) throw new ArgumentException("RegressionTask scores one prediction per sequence; build the regressor with perStep: false.", nameof(model));
    }

    /// <inheritdoc/>
    protected override int CountOf(SequenceRegressionSet<T> set) => set.Count;

    /// <inheritdoc/>
    protected override BatchLoss TrainOn(ReadOnlySpan<int> indices)
    {
        var (x, y) = Train.GetBatch(indices);
        var prediction = Model.Forward(x);
        var loss = MseLoss.Compute(prediction, y);
        double value = double.CreateChecked(loss.Loss);
        if (double.IsFinite(value)) Model.Backward(loss.Gradient);
        return new BatchLoss(value, (long)x.Shape[0] * x.Shape[1]);
    }

    /// <summary>Mean squared error over <paramref name="set"/>.</summary>
    public override Evaluation Evaluate(SequenceRegressionSet<T> set, CancellationToken cancellationToken = default)
    {
        double total = 0;
        long count = 0;
        foreach (int[] indices in EvaluationBatches(set, cancellationToken))
        {
            var (x, y) = set.GetBatch(indices);
            var loss = MseLoss.Compute(Model.Forward(x), y);
            total += double.CreateChecked(loss.Loss) * loss.Count;
            count += loss.Count;
        }
        return new Evaluation(total / count, null, count);
    }
}

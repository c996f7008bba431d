using System.Numerics;
using Workbench.Data;
using Workbench.Losses;
using Workbench.Models;
using Workbench.Tensors;

namespace Workbench.Training;

/// <summary>Sequence regression (the adding problem, forecasting): mean squared error on the final-state prediction.</summary>
public sealed class RegressionTask<T> : ITrainingTask<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private int[] _order = [];

    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/>; validates on <paramref name="validation"/>.</summary>
    public RegressionTask(SequenceRegressor<T> model, SequenceRegressionSet<T> train, SequenceRegressionSet<T>? validation, int batchSize)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        if (model.PerStep) throw new ArgumentException("RegressionTask scores one prediction per sequence; build the regressor with perStep: false.", nameof(model));
        Train = train ?? throw new ArgumentNullException(nameof(train));
        Validation = validation;
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        BatchSize = batchSize;
    }

    /// <summary>The model.</summary>
    public SequenceRegressor<T> Model { get; }
    /// <summary>The training split.</summary>
    public SequenceRegressionSet<T> Train { get; }
    /// <summary>The validation split, or null.</summary>
    public SequenceRegressionSet<T>? Validation { get; }
    /// <summary>Sequences per batch.</summary>
    public int BatchSize { get; }

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, Parameter<T>>> NamedParameters => Model.NamedParameters;
    /// <inheritdoc/>
    public int BatchesPerEpoch => (Train.Count + BatchSize - 1) / BatchSize;
    /// <inheritdoc/>
    public void BeginEpoch(int epoch, int seed) => _order = SeedMixer.Permutation(Train.Count, seed, epoch);

    /// <inheritdoc/>
    public BatchLoss TrainBatch(int index)
    {
        int start = index * BatchSize;
        var (x, y) = Train.GetBatch(_order.AsSpan(start, Math.Min(BatchSize, Train.Count - start)));
        var prediction = Model.Forward(x);
        var loss = MseLoss.Compute(prediction, y);
        double value = double.CreateChecked(loss.Loss);
        if (double.IsFinite(value)) Model.Backward(loss.Gradient);
        return new BatchLoss(value, (long)x.Shape[0] * x.Shape[1]);
    }

    /// <inheritdoc/>
    public Evaluation? Evaluate(CancellationToken cancellationToken) => Validation is null ? null : Evaluate(Validation, cancellationToken);

    /// <summary>Mean squared error over <paramref name="set"/>.</summary>
    public Evaluation Evaluate(SequenceRegressionSet<T> set, CancellationToken cancellationToken = default)
    {
        double total = 0;
        long count = 0;
        for (int start = 0; start < set.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (x, y) = set.GetBatch(Enumerable.Range(start, Math.Min(BatchSize, set.Count - start)).ToArray());
            var loss = MseLoss.Compute(Model.Forward(x), y);
            total += double.CreateChecked(loss.Loss) * loss.Count;
            count += loss.Count;
        }
        return new Evaluation(total / count, null, count);
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, NdArray<T>> ExportCarriedState() => new Dictionary<string, NdArray<T>>();
    /// <inheritdoc/>
    public void ImportCarriedState(IReadOnlyDictionary<string, NdArray<T>> state) { }
}

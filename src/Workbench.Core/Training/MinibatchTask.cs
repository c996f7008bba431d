using System.Numerics;
using Workbench.Models;
using Workbench.Tensors;

namespace Workbench.Training;

/// <summary>
/// What the classification, tagging and regression tasks share: a fixed set of sequences trained on in minibatches
/// shuffled per epoch from (seed, epoch), a validation set scored in order, and no state carried between batches.
/// (The language-model task streams a corpus with carried state instead.)
/// </summary>
public abstract class MinibatchTask<T, TModel, TSet> : ITrainingTask<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
    where TModel : SequenceModel<T>
    where TSet : class
{
    private int[] _order = [];

    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/>; validates on <paramref name="validation"/>.</summary>
    protected MinibatchTask(TModel model, TSet train, TSet? validation, int batchSize)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Train = train ?? throw new ArgumentNullException(nameof(train));
        Validation = validation;
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        BatchSize = batchSize;
    }

    /// <summary>The model.</summary>
    public TModel Model { get; }
    /// <summary>The training split.</summary>
    public TSet Train { get; }
    /// <summary>The validation split, or null.</summary>
    public TSet? Validation { get; }
    /// <summary>Sequences per batch.</summary>
    public int BatchSize { get; }

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, Parameter<T>>> NamedParameters => Model.NamedParameters;
    /// <inheritdoc/>
    public int BatchesPerEpoch => (CountOf(Train) + BatchSize - 1) / BatchSize;
    /// <inheritdoc/>
    public void BeginEpoch(int epoch, int seed) => _order = SeedMixer.Permutation(CountOf(Train), seed, epoch);

    /// <inheritdoc/>
    public BatchLoss TrainBatch(int index)
    {
        int start = index * BatchSize;
        return TrainOn(_order.AsSpan(start, Math.Min(BatchSize, CountOf(Train) - start)));
    }

    /// <inheritdoc/>
    public Evaluation? Evaluate(CancellationToken cancellationToken) => Validation is null ? null : Evaluate(Validation, cancellationToken);

    /// <summary>Scores <paramref name="set"/> with the task's loss and metric (no gradients).</summary>
    public abstract Evaluation Evaluate(TSet set, CancellationToken cancellationToken = default);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, NdArray<T>> ExportCarriedState() => new Dictionary<string, NdArray<T>>();
    /// <inheritdoc/>
    public void ImportCarriedState(IReadOnlyDictionary<string, NdArray<T>> state) { }

    /// <summary>Number of sequences in <paramref name="set"/>.</summary>
    protected abstract int CountOf(TSet set);

    /// <summary>Forward and backward on the training sequences at <paramref name="indices"/>.</summary>
    protected abstract BatchLoss TrainOn(ReadOnlySpan<int> indices);

    /// <summary>The index ranges of <paramref name="set"/> in evaluation order, one batch at a time, checking for cancellation.</summary>
    protected IEnumerable<int[]> EvaluationBatches(TSet set, CancellationToken cancellationToken)
    {
        int count = CountOf(set);
        for (int start = 0; start < count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Enumerable.Range(start, Math.Min(BatchSize, count - start)).ToArray();
        }
    }
}

using System.Numerics;
using Workbench.Data;
using Workbench.Losses;
using Workbench.Models;
using Workbench.Tensors;

namespace Workbench.Training;

/// <summary>One label per sequence (the temporal-order task): softmax cross-entropy on the final state; accuracy.</summary>
public sealed class ClassificationTask<T> : ITrainingTask<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private int[] _order = [];

    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/>; validates on <paramref name="validation"/>.</summary>
    public ClassificationTask(SequenceClassifier<T> model, LabeledSequenceSet train, LabeledSequenceSet? validation, int batchSize)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Train = train ?? throw new ArgumentNullException(nameof(train));
        Validation = validation;
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        BatchSize = batchSize;
    }

    /// <summary>The model.</summary>
    public SequenceClassifier<T> Model { get; }
    /// <summary>The training split.</summary>
    public LabeledSequenceSet Train { get; }
    /// <summary>The validation split, or null.</summary>
    public LabeledSequenceSet? Validation { get; }
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
        var batch = Train.GetBatch(_order.AsSpan(start, Math.Min(BatchSize, Train.Count - start)));
        var logits = Model.Forward(batch);
        var loss = CrossEntropyLoss.Compute(logits, batch.Labels);
        double value = double.CreateChecked(loss.Loss);
        if (double.IsFinite(value)) Model.Backward(loss.Gradient);
        return new BatchLoss(value, batch.Lengths.Sum());
    }

    /// <inheritdoc/>
    public Evaluation? Evaluate(CancellationToken cancellationToken) => Validation is null ? null : Evaluate(Validation, cancellationToken);

    /// <summary>Mean cross-entropy and accuracy over <paramref name="set"/>.</summary>
    public Evaluation Evaluate(LabeledSequenceSet set, CancellationToken cancellationToken = default)
    {
        double total = 0;
        long correct = 0;
        int classes = Model.Head.OutFeatures;
        for (int start = 0; start < set.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = set.GetBatch(Enumerable.Range(start, Math.Min(BatchSize, set.Count - start)).ToArray());
            var logits = Model.Forward(batch);
            var loss = CrossEntropyLoss.Compute(logits, batch.Labels);
            total += double.CreateChecked(loss.Loss) * loss.Count;
            var predicted = SequenceTagger<T>.ArgMaxRows(logits.Data, batch.BatchSize, classes);
            for (int i = 0; i < predicted.Length; i++) if (predicted[i] == batch.Labels![i]) correct++;
        }
        return new Evaluation(total / set.Count, (double)correct / set.Count, set.Count);
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, NdArray<T>> ExportCarriedState() => new Dictionary<string, NdArray<T>>();
    /// <inheritdoc/>
    public void ImportCarriedState(IReadOnlyDictionary<string, NdArray<T>> state) { }
}

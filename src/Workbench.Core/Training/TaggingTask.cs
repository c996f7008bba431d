using System.Numerics;
using Workbench.Data;
using Workbench.Losses;
using Workbench.Models;
using Workbench.Tensors;

namespace Workbench.Training;

/// <summary>Per-step classification (tagging, the copy task): softmax cross-entropy at every scored step; accuracy over scored steps.</summary>
public sealed class TaggingTask<T> : ITrainingTask<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private int[] _order = [];

    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/> in shuffled minibatches; validates on <paramref name="validation"/>.</summary>
    public TaggingTask(SequenceTagger<T> model, TaggedSequenceSet train, TaggedSequenceSet? validation, int batchSize)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Train = train ?? throw new ArgumentNullException(nameof(train));
        Validation = validation;
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        BatchSize = batchSize;
    }

    /// <summary>The model.</summary>
    public SequenceTagger<T> Model { get; }
    /// <summary>The training split.</summary>
    public TaggedSequenceSet Train { get; }
    /// <summary>The validation split, or null.</summary>
    public TaggedSequenceSet? Validation { get; }
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
        var loss = CrossEntropyLoss.Compute(logits.Reshape(batch.Steps * batch.BatchSize, Model.ClassCount), batch.Targets);
        double value = double.CreateChecked(loss.Loss);
        if (double.IsFinite(value)) Model.Backward(loss.Gradient.Reshape(batch.Steps, batch.BatchSize, Model.ClassCount));
        return new BatchLoss(value, batch.Lengths.Sum());
    }

    /// <inheritdoc/>
    public Evaluation? Evaluate(CancellationToken cancellationToken) => Validation is null ? null : Evaluate(Validation, cancellationToken);

    /// <summary>Mean cross-entropy and accuracy over the scored steps of <paramref name="set"/>.</summary>
    public Evaluation Evaluate(TaggedSequenceSet set, CancellationToken cancellationToken = default)
    {
        double total = 0;
        long count = 0, correct = 0;
        int classes = Model.ClassCount;
        for (int start = 0; start < set.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var indices = Enumerable.Range(start, Math.Min(BatchSize, set.Count - start)).ToArray();
            var batch = set.GetBatch(indices);
            var logits = Model.Forward(batch);
            var flat = logits.Reshape(batch.Steps * batch.BatchSize, classes);
            var loss = CrossEntropyLoss.Compute(flat, batch.Targets);
            if (loss.Count == 0) continue;
            total += double.CreateChecked(loss.Loss) * loss.Count;
            count += loss.Count;
            var predicted = SequenceTagger<T>.ArgMaxRows(flat.Data, batch.Steps * batch.BatchSize, classes);
            for (int i = 0; i < predicted.Length; i++)
                if (batch.Targets![i] != TokenBatch.IgnoreIndex && predicted[i] == batch.Targets[i]) correct++;
        }
        return new Evaluation(count == 0 ? double.NaN : total / count, count == 0 ? null : (double)correct / count, count);
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, NdArray<T>> ExportCarriedState() => new Dictionary<string, NdArray<T>>();
    /// <inheritdoc/>
    public void ImportCarriedState(IReadOnlyDictionary<string, NdArray<T>> state) { }
}

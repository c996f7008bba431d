using System.Numerics;
using Workbench.Losses;
using Workbench.Models;
using Workbench.Tensors;

namespace Workbench.Training;

/// <summary>
/// Truncated BPTT over a token stream: the training ids are laid out as <see cref="BatchSize"/> parallel streams
/// (column b holds the b-th contiguous slice), read in consecutive chunks of <see cref="ChunkLength"/> steps; the
/// hidden state runs on from chunk to chunk (detached) and is reset at each epoch start. The loss is the
/// next-token cross-entropy; validation reports it with perplexity and bits per token.
/// </summary>
public sealed class LanguageModelTask<T> : ITrainingTask<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int[] _train;
    private readonly int _streamLength;

    /// <summary>Creates the task over id streams (e.g. characters encoded by a vocabulary).</summary>
    public LanguageModelTask(LanguageModel<T> model, int[] train, int[]? validation, int batchSize, int chunkLength)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkLength, 1);
        BatchSize = batchSize;
        ChunkLength = chunkLength;
        _streamLength = train.Length / batchSize;
        if (_streamLength < 2) throw new ArgumentException($"A training stream of {train.Length} tokens is too short for {batchSize} parallel streams.", nameof(train));
        _train = Batchify(train, batchSize);
        Validation = validation;
    }

    /// <summary>The model.</summary>
    public LanguageModel<T> Model { get; }
    /// <summary>Validation ids, or null.</summary>
    public int[]? Validation { get; }
    /// <summary>Parallel streams per batch.</summary>
    public int BatchSize { get; }
    /// <summary>Steps per chunk (the truncation length of BPTT).</summary>
    public int ChunkLength { get; }

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, Parameter<T>>> NamedParameters => Model.NamedParameters;
    /// <inheritdoc/>
    public int BatchesPerEpoch => (_streamLength - 1 + ChunkLength - 1) / ChunkLength;
    /// <inheritdoc/>
    public void BeginEpoch(int epoch, int seed) => Model.ResetState();

    /// <inheritdoc/>
    public BatchLoss TrainBatch(int index)
    {
        int start = index * ChunkLength;
        int steps = Math.Min(ChunkLength, _streamLength - 1 - start);
        var (inputs, targets) = Chunk(_train, BatchSize, start, steps);
        var logits = Model.Forward(inputs, steps, BatchSize);
        var loss = CrossEntropyLoss.Compute(logits.Reshape(steps * BatchSize, Model.VocabularySize), targets);
        double value = double.CreateChecked(loss.Loss);
        if (double.IsFinite(value)) Model.Backward(loss.Gradient.Reshape(steps, BatchSize, Model.VocabularySize));
        return new BatchLoss(value, (long)steps * BatchSize);
    }

    /// <inheritdoc/>
    public Evaluation? Evaluate(CancellationToken cancellationToken) => Validation is null ? null : Evaluate(Validation, cancellationToken);

    /// <summary>
    /// Mean next-token cross-entropy (nats) over <paramref name="ids"/>, read as one stream from a zero state in chunks
    /// of <see cref="ChunkLength"/>. The training state is saved and restored around it.
    /// </summary>
    public Evaluation Evaluate(int[] ids, CancellationToken cancellationToken = default)
    {
        var savedH = Model.HiddenState;
        var savedC = Model.CellState;
        Model.ResetState();
        try
        {
            int streams = Math.Max(1, Math.Min(BatchSize, (ids.Length - 1) / Math.Max(ChunkLength, 1)));
            int length = ids.Length / streams;
            if (length < 2) throw new ArgumentException($"A validation stream of {ids.Length} tokens is too short.", nameof(ids));
            int[] data = Batchify(ids, streams);
            double total = 0;
            long count = 0;
            for (int start = 0; start < length - 1; start += ChunkLength)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int steps = Math.Min(ChunkLength, length - 1 - start);
                var (inputs, targets) = Chunk(data, streams, start, steps);
                var logits = Model.Forward(inputs, steps, streams);
                var loss = CrossEntropyLoss.Compute(logits.Reshape(steps * streams, Model.VocabularySize), targets);
                total += double.CreateChecked(loss.Loss) * loss.Count;
                count += loss.Count;
            }
            return new Evaluation(total / count, null, count);
        }
        finally
        {
            Model.HiddenState = savedH;
            Model.CellState = savedC;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, NdArray<T>> ExportCarriedState()
    {
        var state = new Dictionary<string, NdArray<T>>(StringComparer.Ordinal);
        if (Model.HiddenState is not null) state["h"] = Model.HiddenState.Clone();
        if (Model.CellState is not null) state["c"] = Model.CellState.Clone();
        return state;
    }

    /// <inheritdoc/>
    public void ImportCarriedState(IReadOnlyDictionary<string, NdArray<T>> state)
    {
        Model.HiddenState = state.TryGetValue("h", out var h) ? h.Clone() : null;
        Model.CellState = state.TryGetValue("c", out var c) ? c.Clone() : null;
    }

    // Time-major layout: data[t·B + b] = ids[b·L + t], L = ⌊n/B⌋ (the tail that does not fill a column is dropped).
    private static int[] Batchify(int[] ids, int streams)
    {
        int length = ids.Length / streams;
        var data = new int[length * streams];
        for (int b = 0; b < streams; b++)
            for (int t = 0; t < length; t++) data[t * streams + b] = ids[b * length + t];
        return data;
    }

    private static (int[] Inputs, int[] Targets) Chunk(int[] data, int streams, int start, int steps)
    {
        var inputs = data.AsSpan(start * streams, steps * streams).ToArray();
        var targets = data.AsSpan((start + 1) * streams, steps * streams).ToArray();
        return (inputs, targets);
    }
}

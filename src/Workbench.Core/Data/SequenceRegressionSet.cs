using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Data;

/// <summary>
/// Real-valued sequences with one target vector per sequence: inputs (T, N, features) time-major as PyTorch's
/// batch_first=False, targets (N, outputs). The adding problem and windowed time series use it.
/// </summary>
public sealed class SequenceRegressionSet<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The inputs, shape (T, N, features).</summary>
    public NdArray<T> Inputs { get; }

    /// <summary>The targets, shape (N, outputs).</summary>
    public NdArray<T> Targets { get; }

    /// <summary>Sequence length T.</summary>
    public int Length => Inputs.Shape[0];

    /// <summary>Number of sequences N.</summary>
    public int Count => Inputs.Shape[1];

    /// <summary>Input features per step.</summary>
    public int InputSize => Inputs.Shape[2];

    /// <summary>Target values per sequence.</summary>
    public int OutputSize => Targets.Shape[1];

    /// <summary>Wraps inputs (T, N, F) and targets (N, O); throws naming the tensor when shapes disagree.</summary>
    public SequenceRegressionSet(NdArray<T> inputs, NdArray<T> targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Rank != 3) throw new ArgumentException($"Tensor 'inputs' has shape {NdArray<T>.FormatShape(inputs.Shape)}, expected (T, N, features).");
        if (targets.Rank != 2 || targets.Shape[0] != inputs.Shape[1])
            throw new ArgumentException($"Tensor 'targets' has shape {NdArray<T>.FormatShape(targets.Shape)}, expected ({inputs.Shape[1]}, outputs).");
        Inputs = inputs;
        Targets = targets;
    }

    /// <summary>Gathers the sequences at <paramref name="indices"/> into a batch (inputs (T, B, F), targets (B, O)).</summary>
    public (NdArray<T> Inputs, NdArray<T> Targets) GetBatch(ReadOnlySpan<int> indices)
    {
        int steps = Length, n = Count, f = InputSize, o = OutputSize, b = indices.Length;
        var x = new T[steps * b * f];
        var y = new T[b * o];
        for (int j = 0; j < b; j++)
        {
            int i = indices[j];
            if ((uint)i >= (uint)n) throw new ArgumentOutOfRangeException(nameof(indices), $"Sequence index {i} is outside 0..{n - 1}.");
            for (int t = 0; t < steps; t++)
                Array.Copy(Inputs.Data, (t * n + i) * f, x, (t * b + j) * f, f);
            Array.Copy(Targets.Data, i * o, y, j * o, o);
        }
        return (new NdArray<T>(x, steps, b, f), new NdArray<T>(y, b, o));
    }

    /// <summary>The sequences in [start, start + count) as a new set.</summary>
    public SequenceRegressionSet<T> Slice(int start, int count)
    {
        var indices = Enumerable.Range(start, count).ToArray();
        var (x, y) = GetBatch(indices);
        return new SequenceRegressionSet<T>(x, y);
    }
}

using System.Numerics;
using System.Numerics.Tensors;
using Workbench.Numerics;
using Workbench.Tensors;

namespace Workbench.Layers;

/// <summary>
/// y = x·Wᵀ + b over the last axis, as torch.nn.Linear: input (..., in_features), output (..., out_features).
/// Parameters: <c>weight</c> (out_features, in_features) and <c>bias</c> (out_features).
/// </summary>
public sealed class Linear<T> : IModule<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private NdArray<T>? _input;
    private NdArray<T>? _output;
    private NdArray<T>? _gradInput;

    /// <summary>W, shape (out_features, in_features).</summary>
    public Parameter<T> Weight { get; }

    /// <summary>b, shape (out_features), or null when created without bias.</summary>
    public Parameter<T>? Bias { get; }

    /// <summary>Size of each input vector.</summary>
    public int InFeatures { get; }

    /// <summary>Size of each output vector.</summary>
    public int OutFeatures { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>
    /// When true, <see cref="Forward"/> and <see cref="Backward"/> return arrays owned by the layer that the next call
    /// with the same shape overwrites, so that a training loop allocates nothing per call; when false (the default)
    /// every call returns fresh arrays the caller may keep.
    /// </summary>
    public bool ReuseOutputs { get; init; }

    /// <summary>Creates the layer with PyTorch's default initialization U(−1/√in, 1/√in) for weight and bias.</summary>
    public Linear(int inFeatures, int outFeatures, Random random, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        ArgumentNullException.ThrowIfNull(random);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = new Parameter<T>("weight", Init.PyTorchDefault(NdArray<T>.Zeros(outFeatures, inFeatures), inFeatures, random));
        Bias = bias ? new Parameter<T>("bias", Init.PyTorchDefault(NdArray<T>.Zeros(outFeatures), inFeatures, random)) : null;
        Parameters = Bias is null ? [Weight] : [Weight, Bias];
    }

    /// <summary>Creates the layer with PyTorch's default initialization drawn from <c>new Random(seed)</c>.</summary>
    public Linear(int inFeatures, int outFeatures, int seed = 0, bool bias = true)
        : this(inFeatures, outFeatures, new Random(seed), bias)
    {
    }

    /// <summary>Applies the layer to (..., in_features) and remembers the input for <see cref="Backward"/>.</summary>
    public NdArray<T> Forward(NdArray<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Shape[^1] != InFeatures)
            throw new ArgumentException($"Tensor 'input' has shape {NdArray<T>.FormatShape(input.Shape)}, expected (..., {InFeatures}).");
        int rows = input.Length / InFeatures;
        NdArray<T> output = ReuseOutputs && _output is not null && SameLeadingShape(_output, input.Shape, OutFeatures)
            ? _output
            : new NdArray<T>(new T[checked(rows * OutFeatures)], WithLastAxis(input.Shape, OutFeatures));
        if (ReuseOutputs) _output = output;
        if (Bias is not null)
        {
            ReadOnlySpan<T> bias = Bias.Value.Data;
            for (int r = 0; r < rows; r++) bias.CopyTo(output.Data.AsSpan(r * OutFeatures, OutFeatures));
        }
        // Y(rows×out) = X(rows×in) · Wᵀ + (bias rows already in Y).
        Gemm.Multiply(false, true, rows, OutFeatures, InFeatures, T.One, input.Data, InFeatures,
            Weight.Value.Data, InFeatures, Bias is null ? T.Zero : T.One, output.Data, OutFeatures);
        _input = input;
        return output;
    }

    /// <summary>Accumulates ∂L/∂W += gᵀx and ∂L/∂b += Σg, and returns ∂L/∂input = g·W.</summary>
    public NdArray<T> Backward(NdArray<T> gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        NdArray<T> input = _input ?? throw new InvalidOperationException("Backward was called before Forward.");
        if (!SameLeadingShape(gradOutput, input.Shape, OutFeatures))
            gradOutput.RequireShape("grad_output", WithLastAxis(input.Shape, OutFeatures));
        int rows = input.Length / InFeatures;
        Gemm.Multiply(true, false, OutFeatures, InFeatures, rows, T.One, gradOutput.Data, OutFeatures,
            input.Data, InFeatures, T.One, Weight.Grad.Data, InFeatures);
        if (Bias is not null)
        {
            // Column sums, one vectorized row at a time (each element still adds the rows in order).
            Span<T> gb = Bias.Grad.Data;
            ReadOnlySpan<T> g = gradOutput.Data;
            for (int r = 0; r < rows; r++) TensorPrimitives.Add(gb, g.Slice(r * OutFeatures, OutFeatures), gb);
        }
        NdArray<T> gradInput = ReuseOutputs && _gradInput is not null && _gradInput.SameShape(input)
            ? _gradInput
            : new NdArray<T>(new T[input.Length], input.Shape);
        if (ReuseOutputs) _gradInput = gradInput;
        Gemm.Multiply(false, false, rows, InFeatures, OutFeatures, T.One, gradOutput.Data, OutFeatures,
            Weight.Value.Data, InFeatures, T.Zero, gradInput.Data, InFeatures);
        return gradInput;
    }

    /// <summary>True when <paramref name="array"/> has <paramref name="shape"/> with the last axis <paramref name="last"/> (no allocation).</summary>
    private static bool SameLeadingShape(NdArray<T> array, int[] shape, int last) =>
        array.Rank == shape.Length && array.Shape[^1] == last && array.Shape.AsSpan(0, shape.Length - 1).SequenceEqual(shape.AsSpan(0, shape.Length - 1));

    private static int[] WithLastAxis(int[] shape, int last)
    {
        int[] result = (int[])shape.Clone();
        result[^1] = last;
        return result;
    }
}

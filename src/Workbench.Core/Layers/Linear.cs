using System.Numerics;
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
        var output = new T[checked(rows * OutFeatures)];
        if (Bias is not null)
            for (int r = 0; r < rows; r++) Bias.Value.Data.CopyTo(output, r * OutFeatures);
        // Y(rows×out) = X(rows×in) · Wᵀ + (bias rows already in Y).
        Gemm.Multiply(false, true, rows, OutFeatures, InFeatures, T.One, input.Data, InFeatures,
            Weight.Value.Data, InFeatures, Bias is null ? T.Zero : T.One, output, OutFeatures);
        _input = input;
        int[] shape = (int[])input.Shape.Clone();
        shape[^1] = OutFeatures;
        return new NdArray<T>(output, shape);
    }

    /// <summary>Accumulates ∂L/∂W += gᵀx and ∂L/∂b += Σg, and returns ∂L/∂input = g·W.</summary>
    public NdArray<T> Backward(NdArray<T> gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        NdArray<T> input = _input ?? throw new InvalidOperationException("Backward was called before Forward.");
        int[] expected = (int[])input.Shape.Clone();
        expected[^1] = OutFeatures;
        gradOutput.RequireShape("grad_output", expected);
        int rows = input.Length / InFeatures;
        Gemm.Multiply(true, false, OutFeatures, InFeatures, rows, T.One, gradOutput.Data, OutFeatures,
            input.Data, InFeatures, T.One, Weight.Grad.Data, InFeatures);
        if (Bias is not null)
        {
            T[] gb = Bias.Grad.Data;
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<T> g = gradOutput.Data.AsSpan(r * OutFeatures, OutFeatures);
                for (int j = 0; j < OutFeatures; j++) gb[j] += g[j];
            }
        }
        var gradInput = new T[input.Length];
        Gemm.Multiply(false, false, rows, InFeatures, OutFeatures, T.One, gradOutput.Data, OutFeatures,
            Weight.Value.Data, InFeatures, T.Zero, gradInput, InFeatures);
        return new NdArray<T>(gradInput, input.Shape);
    }
}

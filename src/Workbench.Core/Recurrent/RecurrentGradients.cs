using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

/// <summary>What <see cref="RecurrentLayer{T}.Backward"/> returns: the gradients with respect to the layer's inputs.</summary>
/// <param name="Input">(T, B, I), or (B, T, I) batch-first (the input's layout): ∂L/∂input; zero at padded steps.</param>
/// <param name="H0">(L·D, B, H): ∂L/∂h0 (the gradient of the zero initial state when no h0 was given).</param>
/// <param name="C0">(L·D, B, H): ∂L/∂c0 for the LSTM; null for RNN and GRU.</param>
public sealed record RecurrentGradients<T>(NdArray<T> Input, NdArray<T> H0, NdArray<T>? C0)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>;

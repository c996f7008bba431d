using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

/// <summary>What a cell module's Backward returns for one step (<see cref="RecurrentCellLayer{T}"/>).</summary>
/// <param name="Input">(B, I): ∂L/∂x_t.</param>
/// <param name="H">(B, H): ∂L/∂h_{t−1}, to add to the previous step's gradient of its output.</param>
/// <param name="C">(B, H): ∂L/∂c_{t−1} for the LSTM cell; null for RNN and GRU.</param>
public sealed record RecurrentCellGradients<T>(NdArray<T> Input, NdArray<T> H, NdArray<T>? C)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>;

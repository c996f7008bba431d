using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Losses;

/// <summary>A scalar loss and its gradient with respect to the loss's input.</summary>
/// <param name="Loss">The loss value (a mean, as PyTorch's default reduction).</param>
/// <param name="Gradient">∂Loss/∂input, same shape as the input.</param>
/// <param name="Count">How many items the mean was taken over (non-ignored targets, or elements).</param>
public sealed record LossResult<T>(T Loss, NdArray<T> Gradient, int Count) where T : unmanaged, IBinaryFloatingPointIeee754<T>;

using System.Numerics;
using System.Numerics.Tensors;
using Workbench.Tensors;

namespace Workbench.Losses;

/// <summary>Mean squared error, as torch.nn.functional.mse_loss with reduction='mean': L = (1/n) Σ (x − y)².</summary>
public static class MseLoss
{
    /// <summary>Computes the loss and ∂L/∂input = 2(x − y)/n.</summary>
    /// <exception cref="ArgumentException">The shapes differ (both are named).</exception>
    public static LossResult<T> Compute<T>(NdArray<T> input, NdArray<T> target) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        var gradient = new NdArray<T>(new T[input.Length], input.Shape);
        T loss = Compute(input, target, gradient);
        return new LossResult<T>(loss, gradient, input.Length);
    }

    /// <summary>
    /// As <see cref="Compute{T}(NdArray{T}, NdArray{T})"/>, but writes ∂L/∂input into the caller's
    /// <paramref name="gradient"/> (same shape as the input; it may be the input itself) and allocates nothing.
    /// </summary>
    /// <returns>The mean loss over all <c>input.Length</c> elements (NaN when there are none).</returns>
    /// <exception cref="ArgumentException">A shape differs from the input's (the tensor is named).</exception>
    public static T Compute<T>(NdArray<T> input, NdArray<T> target, NdArray<T> gradient) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(gradient);
        target.RequireShape("target", input.Shape);
        gradient.RequireShape("gradient", input.Shape);
        int n = input.Length;
        if (n == 0) return T.NaN;
        Span<T> g = gradient.Data;
        TensorPrimitives.Subtract(input.Data, target.Data, g);
        T total = TensorPrimitives.SumOfSquares<T>(g);
        TensorPrimitives.Multiply(g, T.CreateChecked(2) / T.CreateChecked(n), g);
        return total / T.CreateChecked(n);
    }
}

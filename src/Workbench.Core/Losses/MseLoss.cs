using System.Numerics;
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
        ArgumentNullException.ThrowIfNull(target);
        target.RequireShape("target", input.Shape);
        int n = input.Length;
        var gradient = new T[n];
        T total = T.Zero;
        T two = T.CreateChecked(2);
        T scale = n == 0 ? T.Zero : two / T.CreateChecked(n);
        for (int i = 0; i < n; i++)
        {
            T d = input.Data[i] - target.Data[i];
            total += d * d;
            gradient[i] = scale * d;
        }
        T loss = n == 0 ? T.NaN : total / T.CreateChecked(n);
        return new LossResult<T>(loss, new NdArray<T>(gradient, input.Shape), n);
    }
}

using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Optimizers;

/// <summary>Gradient clipping as torch.nn.utils.clip_grad_norm_ and clip_grad_value_.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients by min(1, maxNorm / (‖g‖ + 1e-6)), where ‖g‖ is the norm of all gradients taken together,
    /// and returns ‖g‖ (before clipping). <paramref name="normType"/> is p (2 by default) or +∞ for the max-abs norm.
    /// </summary>
    /// <exception cref="ArgumentException">With <paramref name="errorIfNonFinite"/>, the total norm is NaN or infinite (gradients are left untouched).</exception>
    public static T ClipGradNorm<T>(IEnumerable<Parameter<T>> parameters, double maxNorm, double normType = 2.0, bool errorIfNonFinite = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(normType > 0)) throw new ArgumentOutOfRangeException(nameof(normType), normType, "The norm type must be positive.");
        Parameter<T>[] list = parameters.ToArray();
        T total;
        if (double.IsPositiveInfinity(normType))
        {
            total = T.Zero;
            foreach (var p in list) foreach (T g in p.Grad.Data) total = T.Max(total, T.Abs(g)); // T.Max propagates NaN
        }
        else
        {
            // torch takes the norm of the per-tensor norms, which is the same number; accumulate in double to limit rounding.
            double sum = 0;
            foreach (var p in list)
            {
                double perTensor = 0;
                foreach (T g in p.Grad.Data) perTensor += Math.Pow(Math.Abs(double.CreateChecked(g)), normType);
                sum += perTensor;
            }
            total = T.CreateChecked(Math.Pow(sum, 1.0 / normType));
        }
        if (errorIfNonFinite && !T.IsFinite(total))
            throw new ArgumentException($"The total norm of order {normType} of the gradients is {total}: non-finite, so they cannot be clipped.");
        T coefficient = T.CreateChecked(maxNorm) / (total + T.CreateChecked(1e-6));
        if (coefficient > T.One) coefficient = T.One;
        foreach (var p in list)
        {
            T[] g = p.Grad.Data;
            for (int i = 0; i < g.Length; i++) g[i] *= coefficient;
        }
        return total;
    }

    /// <summary>Clamps every gradient element into [−clipValue, clipValue].</summary>
    public static void ClipGradValue<T>(IEnumerable<Parameter<T>> parameters, double clipValue) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0)) throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "The clip value must be non-negative.");
        T high = T.CreateChecked(clipValue), low = -high;
        foreach (var p in parameters)
        {
            T[] g = p.Grad.Data;
            for (int i = 0; i < g.Length; i++) g[i] = T.Clamp(g[i], low, high);
        }
    }
}

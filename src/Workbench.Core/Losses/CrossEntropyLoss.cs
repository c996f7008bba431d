using System.Numerics;
using System.Numerics.Tensors;
using Workbench.Tensors;

namespace Workbench.Losses;

/// <summary>
/// Softmax cross-entropy over logits, as torch.nn.functional.cross_entropy with reduction='mean':
/// L = (1/n) Σ_{i: target_i ≠ ignore} (logsumexp(z_i) − z_i[target_i]), where n counts the non-ignored rows.
/// </summary>
public static class CrossEntropyLoss
{
    /// <summary>PyTorch's default ignore_index.</summary>
    public const int DefaultIgnoreIndex = -100;

    /// <summary>Computes the loss and ∂L/∂logits = (softmax(z_i) − onehot(target_i)) / n for non-ignored rows, 0 for ignored ones.</summary>
    /// <param name="logits">Shape (N, C).</param>
    /// <param name="targets">N class indices in [0, C), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="ignoreIndex">Targets equal to this (e.g. padding) contribute neither loss nor gradient.</param>
    /// <remarks>If every target is ignored the loss is NaN (0/0), as in PyTorch, and the gradient is zero.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside [0, C) and is not the ignore index: the message names it and its position.</exception>
    public static LossResult<T> Compute<T>(NdArray<T> logits, ReadOnlySpan<int> targets, int ignoreIndex = DefaultIgnoreIndex)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        var gradient = new NdArray<T>(new T[logits.Length], logits.Shape);
        T loss = Compute(logits, targets, gradient, out int count, ignoreIndex);
        return new LossResult<T>(loss, gradient, count);
    }

    /// <summary>
    /// As <see cref="Compute{T}(NdArray{T}, ReadOnlySpan{int}, int)"/>, but writes ∂L/∂logits into the caller's
    /// <paramref name="gradient"/> (every element is overwritten) and allocates nothing: the form for training loops
    /// that keep one gradient buffer. <paramref name="gradient"/> may be <paramref name="logits"/> itself (in place).
    /// </summary>
    /// <param name="logits">Shape (N, C).</param>
    /// <param name="targets">N class indices in [0, C), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="gradient">Receives ∂L/∂logits; shape (N, C).</param>
    /// <param name="count">How many targets were not ignored (the mean's denominator).</param>
    /// <param name="ignoreIndex">Targets equal to this contribute neither loss nor gradient.</param>
    /// <returns>The mean loss (NaN when every target is ignored).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside [0, C) and is not the ignore index: the message names it and its position.</exception>
    public static T Compute<T>(NdArray<T> logits, ReadOnlySpan<int> targets, NdArray<T> gradient, out int count, int ignoreIndex = DefaultIgnoreIndex)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(gradient);
        if (logits.Rank != 2)
            throw new ArgumentException($"Tensor 'logits' has shape {NdArray<T>.FormatShape(logits.Shape)}, expected (N, C).");
        int n = logits.Shape[0], c = logits.Shape[1];
        if (targets.Length != n)
            throw new ArgumentException($"Tensor 'targets' has shape ({targets.Length},), expected ({n},) to match logits {NdArray<T>.FormatShape(logits.Shape)}.");
        gradient.RequireShape("gradient", logits.Shape);
        count = 0;
        for (int i = 0; i < n; i++)
        {
            int target = targets[i];
            if (target == ignoreIndex) continue;
            if ((uint)target >= (uint)c)
                throw new ArgumentOutOfRangeException(nameof(targets), $"Tensor 'targets' holds class index {target} at position ({i},), outside [0, {c}) (ignore_index is {ignoreIndex}).");
            count++;
        }

        T total = T.Zero;
        T scale = count == 0 ? T.Zero : T.One / T.CreateChecked(count);
        for (int i = 0; i < n; i++)
        {
            int target = targets[i];
            Span<T> g = gradient.Data.AsSpan(i * c, c);
            if (target == ignoreIndex)
            {
                g.Clear();
                continue;
            }
            ReadOnlySpan<T> z = logits.Data.AsSpan(i * c, c);
            // Subtracting the row maximum keeps exp() from overflowing: logsumexp(z) = m + log Σ exp(z − m).
            // z[target] is read before g is written, so g may alias z.
            T max = TensorPrimitives.Max(z);
            T picked = z[target];
            TensorPrimitives.Subtract(z, max, g);
            TensorPrimitives.Exp(g, g);
            T sum = TensorPrimitives.Sum<T>(g);
            total += max + T.Log(sum) - picked;
            TensorPrimitives.Multiply(g, scale / sum, g);
            g[target] -= scale;
        }
        return count == 0 ? T.NaN : total / T.CreateChecked(count);
    }
}

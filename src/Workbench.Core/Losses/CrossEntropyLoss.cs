using System.Numerics;
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
        if (logits.Rank != 2)
            throw new ArgumentException($"Tensor 'logits' has shape {NdArray<T>.FormatShape(logits.Shape)}, expected (N, C).");
        int n = logits.Shape[0], c = logits.Shape[1];
        if (targets.Length != n)
            throw new ArgumentException($"Tensor 'targets' has shape ({targets.Length},), expected ({n},) to match logits {NdArray<T>.FormatShape(logits.Shape)}.");
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            int target = targets[i];
            if (target == ignoreIndex) continue;
            if ((uint)target >= (uint)c)
                throw new ArgumentOutOfRangeException(nameof(targets), $"Tensor 'targets' holds class index {target} at position ({i},), outside [0, {c}) (ignore_index is {ignoreIndex}).");
            count++;
        }

        var gradient = new T[logits.Length];
        T total = T.Zero;
        T scale = count == 0 ? T.Zero : T.One / T.CreateChecked(count);
        for (int i = 0; i < n; i++)
        {
            int target = targets[i];
            if (target == ignoreIndex) continue;
            ReadOnlySpan<T> z = logits.Data.AsSpan(i * c, c);
            Span<T> g = gradient.AsSpan(i * c, c);
            // Subtracting the row maximum keeps exp() from overflowing: logsumexp(z) = m + log Σ exp(z − m).
            T max = z[0];
            for (int j = 1; j < c; j++) if (z[j] > max) max = z[j];
            T sum = T.Zero;
            for (int j = 0; j < c; j++)
            {
                T e = T.Exp(z[j] - max);
                g[j] = e;
                sum += e;
            }
            T logSumExp = max + T.Log(sum);
            total += logSumExp - z[target];
            T inverse = scale / sum;
            for (int j = 0; j < c; j++) g[j] *= inverse;
            g[target] -= scale;
        }
        T loss = count == 0 ? T.NaN : total / T.CreateChecked(count);
        return new LossResult<T>(loss, new NdArray<T>(gradient, logits.Shape), count);
    }
}

using System.Numerics;
using System.Numerics.Tensors;

namespace Workbench.Recurrent;

/// <summary>
/// The GRU step with the reset gate before the recurrent product, as Cho et al. (2014):
/// <code>
/// n = tanh(x W_inᵀ + b_in + (r ⊙ h_{t−1}) W_hnᵀ + b_hn)
/// </code>
/// (r, z and the update: <see cref="GruKernel{T}"/>.) The candidate's recurrent product needs r first, so a step
/// takes two GEMMs: h_{t−1} against W_hr, W_hz, then r ⊙ h_{t−1} (kept per step for the weight gradient) against W_hn.
/// Backward: ∂n_pre and ∂z_pre as the reset-after step; ∂(r ⊙ h_{t−1}) = ∂n_pre W_hn;
/// ∂r_pre = ∂(r ⊙ h_{t−1}) ⊙ h_{t−1} ⊙ r(1 − r); ∂h_{t−1} = ∂h_t ⊙ (weight of h_{t−1}) + ∂(r ⊙ h_{t−1}) ⊙ r
/// + [∂r_pre, ∂z_pre] [W_hr; W_hz]. ∂W_hn is ∂n_preᵀ (r ⊙ h_{t−1}), not ∂n_preᵀ h_{t−1}.
/// </summary>
internal sealed class GruResetBeforeKernel<T>(RecurrentLayerOptions options, RecurrentGemm gemm) : GruKernel<T>(options, gemm)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override void Forward(DirectionWorkspace<T> workspace, in ForwardStep<T> step)
    {
        int n = step.Active;
        Span<T> a = step.Gates, resetHidden = step.Aux;
        ReadOnlySpan<T> hPrev = step.PreviousState, whh = step.WeightHh, bhh = step.BiasHh;
        Span<T> product = RecurrentProduct(workspace, n, 2 * H, hPrev, whh, bhh);
        for (int r = 0; r < n; r++)
        {
            Span<T> rz = a.Slice(r * GH, 2 * H);
            TensorPrimitives.Add(rz, product.Slice(r * GH, 2 * H), rz);
            TensorPrimitives.Sigmoid(rz, rz);
            TensorPrimitives.Multiply(rz.Slice(0, H), hPrev.Slice(r * H, H), resetHidden.Slice(r * H, H));
        }
        // Rows of sequences that are not active stay zero so the weight-gradient GEMM never reads stale values.
        resetHidden.Slice(n * H).Clear();
        // (r ⊙ h_{t−1}) (n, H) × W_hnᵀ → the candidate's recurrent side, written beside the r, z products.
        Span<T> candidateProduct = workspace.Recurrent.AsSpan(2 * H, n * GH - 2 * H);
        Gemm.Multiply(false, true, n, H, H, T.One, resetHidden, H, whh.Slice(2 * H * H), H, T.Zero, candidateProduct, GH);
        for (int r = 0; r < n; r++)
        {
            Span<T> row = a.Slice(r * GH, GH), candidate = row.Slice(2 * H, H), hn = candidateProduct.Slice(r * GH, H);
            if (!bhh.IsEmpty) TensorPrimitives.Add(hn, bhh.Slice(2 * H, H), hn);
            // n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)
            TensorPrimitives.Add(candidate, hn, candidate);
            TensorPrimitives.Tanh(candidate, candidate);
            Update(row.Slice(H, H), candidate, hPrev.Slice(r * H, H), step.State.Slice(r * H, H));
        }
    }

    /// <inheritdoc/>
    public override void Backward(DirectionWorkspace<T> workspace, in BackwardStep<T> step)
    {
        int n = step.Active;
        ReadOnlySpan<T> a = step.Gates, hPrev = step.PreviousState, whh = step.WeightHh;
        Span<T> grad = step.GradInputSide, dh = step.GradState;
        Span<T> tmp = workspace.Scratch.AsSpan(0, H);
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<T> row = a.Slice(r * GH, GH);
            Span<T> g = grad.Slice(r * GH, GH);
            UpdateBackward(row.Slice(H, H), row.Slice(2 * H, H), hPrev.Slice(r * H, H), dh.Slice(r * H, H), g.Slice(H, H), g.Slice(2 * H, H), tmp);
        }
        // ∂(r ⊙ h_{t−1}) = ∂n_pre (n, H) × W_hn (H, H)
        Span<T> gradResetHidden = workspace.GradAux.AsSpan(0, n * H);
        Gemm.Multiply(false, false, n, H, H, T.One, grad.Slice(2 * H), GH, whh.Slice(2 * H * H), H, T.Zero, gradResetHidden, H);
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<T> row = a.Slice(r * GH, GH), reset = row.Slice(0, H), hp = hPrev.Slice(r * H, H);
            ReadOnlySpan<T> drh = gradResetHidden.Slice(r * H, H);
            Span<T> dr = grad.Slice(r * GH, H), dhr = dh.Slice(r * H, H);
            TensorPrimitives.Multiply(drh, hp, dr);
            ScaleBySigmoidDerivative(reset, dr, tmp);
            ScaleByPreviousWeight(row.Slice(H, H), dhr, tmp);
            TensorPrimitives.MultiplyAdd(drh, reset, dhr, dhr);
        }
        // ∂h_{t−1} += [∂r_pre, ∂z_pre] [W_hr; W_hz] (β = 1: the direct path and the reset path are already in ∂h;
        // the candidate's share went through r ⊙ h_{t−1} above).
        Gemm.Multiply(false, false, n, H, 2 * H, T.One, grad, GH, whh, H, T.One, dh, H);
    }

    /// <inheritdoc/>
    public override void WeightHhGradient(ReadOnlySpan<T> gradRecurrentSide, ReadOnlySpan<T> previousStates, ReadOnlySpan<T> aux, int rows, Span<T> gradWeightHh)
    {
        // W_hr, W_hz read h_{t−1}; W_hn reads r ⊙ h_{t−1}.
        Gemm.Multiply(true, false, 2 * H, H, rows, T.One, gradRecurrentSide, GH, previousStates, H, T.One, gradWeightHh, H);
        Gemm.Multiply(true, false, H, H, rows, T.One, gradRecurrentSide.Slice(2 * H), GH, aux.Slice(0, rows * H), H, T.One, gradWeightHh.Slice(2 * H * H), H);
    }

    // ∂z_pre and ∂n_pre of one row from ∂h_t.
    private void UpdateBackward(ReadOnlySpan<T> z, ReadOnlySpan<T> candidate, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> dh,
        Span<T> gradZ, Span<T> gradCandidate, Span<T> tmp)
    {
        // ∂n = ∂h ⊙ (weight of the candidate): (1 − z) or z
        if (ZWeighsPrevious)
        {
            TensorPrimitives.Subtract(T.One, z, tmp);
            TensorPrimitives.Multiply(dh, tmp, gradCandidate);
        }
        else
        {
            TensorPrimitives.Multiply(dh, z, gradCandidate);
        }
        TensorPrimitives.Multiply(candidate, candidate, tmp);
        TensorPrimitives.Subtract(T.One, tmp, tmp);
        TensorPrimitives.Multiply(gradCandidate, tmp, gradCandidate);
        // ∂z = ∂h ⊙ (h_{t−1} − n) or ∂h ⊙ (n − h_{t−1})
        if (ZWeighsPrevious) TensorPrimitives.Subtract(hPrev, candidate, tmp);
        else TensorPrimitives.Subtract(candidate, hPrev, tmp);
        TensorPrimitives.Multiply(dh, tmp, gradZ);
        ScaleBySigmoidDerivative(z, gradZ, tmp);
    }

    // The direct path ∂h_{t−1} = ∂h_t ⊙ (weight of h_{t−1}): z or (1 − z).
    private void ScaleByPreviousWeight(ReadOnlySpan<T> z, Span<T> dh, Span<T> tmp)
    {
        if (ZWeighsPrevious)
        {
            TensorPrimitives.Multiply(dh, z, dh);
        }
        else
        {
            TensorPrimitives.Subtract(T.One, z, tmp);
            TensorPrimitives.Multiply(dh, tmp, dh);
        }
    }
}

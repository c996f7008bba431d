using System.Numerics;
using System.Numerics.Tensors;
using Workbench.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

// Back-propagation through time for one layer and direction, on the sorted batch.
public partial class RecurrentLayer<T>
{
    private void BackwardDirection(int layer, int direction, ReadOnlySpan<T> gradLayerOutput, ReadOnlySpan<T> x, int inputWidth,
        NdArray<T>? gradHn, NdArray<T>? gradCn)
    {
        var o = Options;
        int D = o.NumDirections, k = layer * D + direction, H = o.HiddenSize, GH = o.GateCount * H, DH = D * H;
        int steps = _steps, batch = _batch, rows = steps * batch, bh = batch * H, bgh = batch * GH;
        bool reverse = direction == 1;
        Workspace w = _workspaces[direction];
        bool lstm = o.Kind == RecurrentKind.Lstm;
        bool gru = o.Kind == RecurrentKind.Gru, resetAfter = gru && o.ResetPlacement == GruResetPlacement.ResetAfter;
        ReadOnlySpan<T> whh = _weightHh[k].Value.Data;
        ReadOnlySpan<T> gates = _gates[k].AsSpan(0, rows * GH);
        ReadOnlySpan<T> states = _states[k].AsSpan(0, (steps + 1) * bh);
        ReadOnlySpan<T> cells = lstm ? _cells[k].AsSpan(0, (steps + 1) * bh) : default;

        Span<T> gradIh = w.GradGatesIh.AsSpan(0, rows * GH);
        // The recurrent-side pre-activation gradients differ from the input side only for the GRU with reset after.
        Span<T> gradHh = resetAfter ? w.GradGatesHh.AsSpan(0, rows * GH) : gradIh;
        Span<T> dh = w.GradHidden.AsSpan(0, bh);
        Span<T> dc = lstm ? w.GradCell.AsSpan(0, bh) : default;
        LoadSorted(gradHn, k, dh);
        if (lstm) LoadSorted(gradCn, k, dc);

        for (int step = steps - 1; step >= 0; step--)
        {
            int t = reverse ? steps - 1 - step : step;
            int n = _active[t];
            int prev = reverse ? t + 1 : t, next = reverse ? t : t + 1;
            gradIh.Slice(t * bgh + n * GH, (batch - n) * GH).Clear();
            if (resetAfter) gradHh.Slice(t * bgh + n * GH, (batch - n) * GH).Clear();
            if (n == 0) continue;
            // Rows past n are padding at this step: their output is constant zero and their state passes through.
            for (int r = 0; r < n; r++)
            {
                Span<T> dhr = dh.Slice(r * H, H);
                TensorPrimitives.Add(dhr, gradLayerOutput.Slice((t * batch + r) * DH + direction * H, H), dhr);
            }
            ReadOnlySpan<T> a = gates.Slice(t * bgh, n * GH);
            Span<T> gi = gradIh.Slice(t * bgh, n * GH);
            ReadOnlySpan<T> hPrev = states.Slice(prev * bh, bh);
            switch (o.Kind)
            {
                case RecurrentKind.RnnTanh:
                case RecurrentKind.RnnRelu:
                    RnnStepBackward(a, gi, n, dh);
                    break;
                case RecurrentKind.Lstm:
                    LstmStepBackward(a, gi, n, dh, dc, cells.Slice(prev * bh, bh), _tanhCells[k].AsSpan(t * bh, bh));
                    break;
                default:
                    if (resetAfter)
                        GruStepBackwardResetAfter(a, gi, gradHh.Slice(t * bgh, n * GH), n, dh, hPrev, _gruAux[k].AsSpan(t * bh, bh));
                    else
                        GruStepBackwardResetBefore(w, a, gi, n, dh, hPrev, whh);
                    break;
            }
            // ∂L/∂h_prev gets the recurrent products' share: (n, G·H) × W_hh → (n, H).
            if (gru && !resetAfter)
                Multiply(false, false, n, H, 2 * H, T.One, gi, GH, whh, H, T.One, dh, H);
            else
                Multiply(false, false, n, H, GH, T.One, gradHh.Slice(t * bgh, n * GH), GH, whh, H, gru ? T.One : T.Zero, dh, H);
        }

        // Weight and bias gradients of all steps at once; rows of padded steps hold zero gradients.
        Span<T> gWih = _weightIh[k].Grad.Data, gWhh = _weightHh[k].Grad.Data;
        Multiply(true, false, GH, inputWidth, rows, T.One, gradIh, GH, x, inputWidth, T.One, gWih, inputWidth);
        ReadOnlySpan<T> previousStates = states.Slice((reverse ? 1 : 0) * bh, rows * H);
        if (gru && !resetAfter)
        {
            Multiply(true, false, 2 * H, H, rows, T.One, gradHh, GH, previousStates, H, T.One, gWhh, H);
            Multiply(true, false, H, H, rows, T.One, gradHh.Slice(2 * H), GH, _gruAux[k].AsSpan(0, rows * H), H, T.One, gWhh.Slice(2 * H * H), H);
        }
        else
        {
            Multiply(true, false, GH, H, rows, T.One, gradHh, GH, previousStates, H, T.One, gWhh, H);
        }
        if (_biasIh[k] is { } bih && _biasHh[k] is { } bhh)
        {
            ReadOnlySpan<T> ones = _ones.AsSpan(0, rows);
            Multiply(false, false, 1, GH, rows, T.One, ones, rows, gradIh, GH, T.One, bih.Grad.Data, GH);
            Multiply(false, false, 1, GH, rows, T.One, ones, rows, gradHh, GH, T.One, bhh.Grad.Data, GH);
        }
    }

    // ∂L/∂input of one layer from one direction's gate gradients: direction 0 sets it, direction 1 adds to it, in
    // that order, so the sum is the same whether the directions ran one after the other or side by side.
    private void InputGradient(int layer, int direction, int inputWidth, Span<T> gradLayerInput)
    {
        int k = layer * Options.NumDirections + direction, GH = Options.GateCount * Options.HiddenSize, rows = _steps * _batch;
        ReadOnlySpan<T> gradIh = _workspaces[direction].GradGatesIh.AsSpan(0, rows * GH);
        Gemm.Multiply(false, false, rows, inputWidth, GH, T.One, gradIh, GH, _weightIh[k].Value.Data, inputWidth,
            direction == 0 ? T.Zero : T.One, gradLayerInput, inputWidth);
    }

    // h = act(pre): ∂pre = ∂h ⊙ act'(pre), from the stored activation; then ∂h_prev is set by the caller's GEMM.
    private void RnnStepBackward(ReadOnlySpan<T> h, Span<T> gradPre, int n, Span<T> dh)
    {
        int H = Options.HiddenSize;
        ReadOnlySpan<T> dhActive = dh.Slice(0, n * H);
        if (Options.Kind == RecurrentKind.RnnRelu)
        {
            for (int i = 0; i < gradPre.Length; i++) gradPre[i] = h[i] > T.Zero ? dhActive[i] : T.Zero;
        }
        else
        {
            TensorPrimitives.Multiply(h, h, gradPre);
            TensorPrimitives.Subtract(T.One, gradPre, gradPre);
            TensorPrimitives.Multiply(gradPre, dhActive, gradPre);
        }
    }

    private void LstmStepBackward(ReadOnlySpan<T> a, Span<T> gradPre, int n, Span<T> dh, Span<T> dc, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> tanhCells)
    {
        int H = Options.HiddenSize, GH = 4 * H;
        // Per row: ∂C_t += ∂h ⊙ o ⊙ (1 − tanh²C_t); ∂o = ∂h ⊙ tanh C_t; ∂i = ∂C ⊙ g, ∂f = ∂C ⊙ C_{t−1}, ∂g = ∂C ⊙ i
        // (each through its activation's derivative); ∂C_{t−1} = ∂C_t ⊙ f. One fused pass.
        for (int r = 0; r < n; r++)
            GateKernels.LstmBackward<T>(a.Slice(r * GH, GH), tanhCells.Slice(r * H, H), cPrev.Slice(r * H, H),
                dh.Slice(r * H, H), dc.Slice(r * H, H), gradPre.Slice(r * GH, GH));
    }

    // Fills ∂z_pre and ∂n_pre of one row from ∂h (reset before; reset after has its fused pass in GateKernels).
    private void GruUpdateBackward(ReadOnlySpan<T> z, ReadOnlySpan<T> candidate, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> dh,
        Span<T> gradZ, Span<T> gradCandidate, Span<T> tmp)
    {
        bool weighsPrevious = Options.UpdateConvention == GruUpdateConvention.ZWeighsPrevious;
        // ∂n = ∂h ⊙ (weight of the candidate): (1 − z) or z
        if (weighsPrevious)
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
        // ∂z = ∂h ⊙ (h_prev − n) or ∂h ⊙ (n − h_prev)
        if (weighsPrevious) TensorPrimitives.Subtract(hPrev, candidate, tmp);
        else TensorPrimitives.Subtract(candidate, hPrev, tmp);
        TensorPrimitives.Multiply(dh, tmp, gradZ);
        ScaleBySigmoidDerivative(z, gradZ, tmp);
    }

    // The direct path ∂h_prev = ∂h ⊙ (weight of h_prev): z or (1 − z).
    private void ScaleByPreviousWeight(ReadOnlySpan<T> z, Span<T> dh, Span<T> tmp)
    {
        if (Options.UpdateConvention == GruUpdateConvention.ZWeighsPrevious)
        {
            TensorPrimitives.Multiply(dh, z, dh);
        }
        else
        {
            TensorPrimitives.Subtract(T.One, z, tmp);
            TensorPrimitives.Multiply(dh, tmp, dh);
        }
    }

    private void GruStepBackwardResetAfter(ReadOnlySpan<T> a, Span<T> gradIh, Span<T> gradHh, int n, Span<T> dh,
        ReadOnlySpan<T> hPrev, ReadOnlySpan<T> recurrentCandidate)
    {
        int H = Options.HiddenSize, GH = 3 * H;
        bool weighsPrevious = Options.UpdateConvention == GruUpdateConvention.ZWeighsPrevious;
        for (int r = 0; r < n; r++)
        {
            // ∂n_pre, ∂z_pre; ∂r = ∂n_pre ⊙ (W_hn h + b_hn) through σ'; the recurrent side as the input side except
            // the candidate's, which goes through r; then ∂h's direct path to h_prev. One fused pass.
            GateKernels.GruResetAfterBackward<T>(a.Slice(r * GH, GH), hPrev.Slice(r * H, H), recurrentCandidate.Slice(r * H, H),
                dh.Slice(r * H, H), gradIh.Slice(r * GH, GH), gradHh.Slice(r * GH, GH), weighsPrevious);
        }
    }

    private void GruStepBackwardResetBefore(Workspace w, ReadOnlySpan<T> a, Span<T> grad, int n, Span<T> dh, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> whh)
    {
        int H = Options.HiddenSize, GH = 3 * H;
        Span<T> tmp = w.Scratch.AsSpan(0, H);
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<T> row = a.Slice(r * GH, GH);
            Span<T> g = grad.Slice(r * GH, GH);
            GruUpdateBackward(row.Slice(H, H), row.Slice(2 * H, H), hPrev.Slice(r * H, H), dh.Slice(r * H, H), g.Slice(H, H), g.Slice(2 * H, H), tmp);
        }
        // ∂(r ⊙ h_prev) = ∂n_pre (n, H) × W_hn (H, H)
        Span<T> gradResetHidden = w.GradAux.AsSpan(0, n * H);
        Multiply(false, false, n, H, H, T.One, grad.Slice(2 * H), GH, whh.Slice(2 * H * H), H, T.Zero, gradResetHidden, H);
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
    }

    // grad ⊙= s ⊙ (1 − s), the sigmoid's derivative from its output s.
    private static void ScaleBySigmoidDerivative(ReadOnlySpan<T> s, Span<T> grad, Span<T> tmp)
    {
        TensorPrimitives.Subtract(T.One, s, tmp);
        TensorPrimitives.Multiply(tmp, s, tmp);
        TensorPrimitives.Multiply(grad, tmp, grad);
    }
}

using System.Numerics;
using System.Numerics.Tensors;
using Workbench.Tensors;

namespace Workbench.Recurrent;

// The projected LSTM (PyTorch's proj_size P > 0), one direction of one layer, forward and backward:
//   gates = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh      (W_hh is (4H, P): the state is projected)
//   c_t = f ⊙ c_{t−1} + i ⊙ g,   m_t = o ⊙ tanh(c_t),   h_t = m_t W_hrᵀ   (h_t has P features, c_t keeps H)
// Backward: ∂m_t = ∂h_t W_hr, then the LSTM's gate equations with ∂m_t in place of ∂h_t (GateKernels.LstmBackward),
// ∂h_{t−1} = ∂pre W_hh, and ∂W_hr += Σ_t ∂h_tᵀ m_t in one product after the loop.
// A plain path: two products and a row pass per step, no fused step and no packed weights; the P = 0 paths are
// not touched. Packed-sequence handling is the same as the unprojected loop's.
public partial class RecurrentLayer<T>
{
    private void ForwardProjectedDirection(int layer, int direction, NdArray<T>? h0, NdArray<T>? c0)
    {
        var o = Options;
        ReadOnlySpan<T> x = LayerInput(layer, out int inputWidth);
        int D = o.NumDirections, k = layer * D + direction, H = o.HiddenSize, P = o.ProjectionSize, GH = 4 * H, DP = D * P;
        int steps = _packed.Steps, batch = _packed.Batch, rows = steps * batch, bp = batch * P, bh = batch * H, bgh = batch * GH;
        bool reverse = direction == 1;
        ReadOnlySpan<T> wih = _weightIh[k].Value.Data, whh = _weightHh[k].Value.Data, whr = _weightHr[k]!.Value.Data;
        ReadOnlySpan<T> bih = _biasIh[k] is { } pbi ? pbi.Value.Data : default;
        ReadOnlySpan<T> bhh = _biasHh[k] is { } pbh ? pbh.Value.Data : default;
        LstmProjectionBuffers<T>.Grow(ref _projection!.CellOutputs[k], rows * H);
        Span<T> cellOutputs = _projection.CellOutputs[k].AsSpan(0, rows * H);

        Span<T> gates = _buffers.Gates[k].AsSpan(0, rows * GH);
        _gemm.Multiply(false, true, rows, GH, inputWidth, T.One, x, inputWidth, wih, inputWidth, T.Zero, gates, GH);
        if (!bih.IsEmpty) AddRowVector(gates, rows, GH, bih);

        Span<T> states = _buffers.States[k].AsSpan(0, (steps + 1) * bp);
        _packed.SortRows(h0?.Data, k, states.Slice((reverse ? steps : 0) * bp, bp), P);
        Span<T> cells = _buffers.Cells[k].AsSpan(0, (steps + 1) * bh);
        _packed.SortRows(c0?.Data, k, cells.Slice((reverse ? steps : 0) * bh, bh), H);
        Span<T> output = _buffers.LayerOutputs[layer].AsSpan(0, rows * DP);

        for (int step = 0; step < steps; step++)
        {
            int t = reverse ? steps - 1 - step : step;
            int n = _packed.Active(t);
            int prev = reverse ? t + 1 : t, next = reverse ? t : t + 1;
            ReadOnlySpan<T> hPrev = states.Slice(prev * bp, bp);
            Span<T> hNext = states.Slice(next * bp, bp);
            Span<T> m = cellOutputs.Slice(t * bh, bh);
            // Sequences already finished (forward) or not yet started (reverse) carry both states unchanged.
            hPrev.Slice(n * P).CopyTo(hNext.Slice(n * P));
            cells.Slice(prev * bh + n * H, (batch - n) * H).CopyTo(cells.Slice(next * bh + n * H, (batch - n) * H));
            m.Slice(n * H).Clear();
            if (n > 0)
            {
                // a = x_t W_ihᵀ + b_ih (already there) + h_{t−1} W_hhᵀ + b_hh
                Span<T> a = gates.Slice(t * bgh, n * GH);
                _gemm.Multiply(false, true, n, GH, P, T.One, hPrev, P, whh, P, T.One, a, GH);
                ReadOnlySpan<T> cPrev = cells.Slice(prev * bh, bh);
                Span<T> c = cells.Slice(next * bh, bh), tanhCells = _buffers.TanhCells[k].AsSpan(t * bh, bh);
                for (int r = 0; r < n; r++)
                {
                    Span<T> row = a.Slice(r * GH, GH);
                    if (!bhh.IsEmpty) TensorPrimitives.Add(row, bhh, row);
                    TensorPrimitives.Sigmoid(row.Slice(0, 2 * H), row.Slice(0, 2 * H));
                    TensorPrimitives.Tanh(row.Slice(2 * H, H), row.Slice(2 * H, H));
                    TensorPrimitives.Sigmoid(row.Slice(3 * H, H), row.Slice(3 * H, H));
                    Span<T> cr = c.Slice(r * H, H), tc = tanhCells.Slice(r * H, H);
                    TensorPrimitives.Multiply(row.Slice(H, H), cPrev.Slice(r * H, H), cr);
                    TensorPrimitives.MultiplyAdd(row.Slice(0, H), row.Slice(2 * H, H), cr, cr);
                    TensorPrimitives.Tanh(cr, tc);
                    TensorPrimitives.Multiply(row.Slice(3 * H, H), tc, m.Slice(r * H, H));
                }
                // h_t = m_t W_hrᵀ: (n, H) × (H, P)
                _gemm.Multiply(false, true, n, P, H, T.One, m, H, whr, H, T.Zero, hNext, P);
            }
            for (int r = 0; r < batch; r++)
            {
                Span<T> destination = output.Slice((t * batch + r) * DP + direction * P, P);
                if (r < n) hNext.Slice(r * P, P).CopyTo(destination);
                else destination.Clear();
            }
        }
    }

    private void BackwardProjectedDirection(int layer, int direction, NdArray<T>? gradHn, NdArray<T>? gradCn)
    {
        var o = Options;
        ReadOnlySpan<T> gradLayerOutput = GradLayerOutput(layer);
        ReadOnlySpan<T> x = LayerInput(layer, out int inputWidth);
        int D = o.NumDirections, k = layer * D + direction, H = o.HiddenSize, P = o.ProjectionSize, GH = 4 * H, DP = D * P;
        int steps = _packed.Steps, batch = _packed.Batch, rows = steps * batch, bp = batch * P, bh = batch * H, bgh = batch * GH;
        bool reverse = direction == 1;
        DirectionWorkspace<T> w = _buffers.Workspaces[direction];
        ReadOnlySpan<T> whh = _weightHh[k].Value.Data, whr = _weightHr[k]!.Value.Data;
        ReadOnlySpan<T> gates = _buffers.Gates[k].AsSpan(0, rows * GH);
        ReadOnlySpan<T> states = _buffers.States[k].AsSpan(0, (steps + 1) * bp);
        ReadOnlySpan<T> cells = _buffers.Cells[k].AsSpan(0, (steps + 1) * bh);
        ReadOnlySpan<T> cellOutputs = _projection!.CellOutputs[k].AsSpan(0, rows * H);
        LstmProjectionBuffers<T>.Grow(ref _projection.GradStates[direction], rows * P);
        LstmProjectionBuffers<T>.Grow(ref _projection.GradCellOutput[direction], bh);
        Span<T> gradStates = _projection.GradStates[direction].AsSpan(0, rows * P);
        Span<T> dm = _projection.GradCellOutput[direction].AsSpan(0, bh);

        Span<T> gradPre = w.GradGatesIh.AsSpan(0, rows * GH);
        Span<T> dh = w.GradHidden.AsSpan(0, bp);
        Span<T> dc = w.GradCell.AsSpan(0, bh);
        _packed.SortRows(gradHn?.Data, k, dh, P);
        _packed.SortRows(gradCn?.Data, k, dc, H);

        for (int step = steps - 1; step >= 0; step--)
        {
            int t = reverse ? steps - 1 - step : step;
            int n = _packed.Active(t);
            int prev = reverse ? t + 1 : t;
            Span<T> dhAll = gradStates.Slice(t * bp, bp);
            gradPre.Slice(t * bgh + n * GH, (batch - n) * GH).Clear();
            dhAll.Slice(n * P).Clear();
            if (n == 0) continue;
            // Rows past n are padding at this step: their output is constant zero and both states pass through.
            for (int r = 0; r < n; r++)
            {
                Span<T> dhr = dh.Slice(r * P, P);
                TensorPrimitives.Add(dhr, gradLayerOutput.Slice((t * batch + r) * DP + direction * P, P), dhr);
            }
            dh.Slice(0, n * P).CopyTo(dhAll);
            // ∂m_t = ∂h_t W_hr: (n, P) × (P, H)
            _gemm.Multiply(false, false, n, H, P, T.One, dh, P, whr, H, T.Zero, dm, H);
            ReadOnlySpan<T> a = gates.Slice(t * bgh, n * GH), tanhCells = _buffers.TanhCells[k].AsSpan(t * bh, bh);
            ReadOnlySpan<T> cPrev = cells.Slice(prev * bh, bh);
            Span<T> g = gradPre.Slice(t * bgh, n * GH);
            for (int r = 0; r < n; r++)
                GateKernels.LstmBackward<T>(a.Slice(r * GH, GH), tanhCells.Slice(r * H, H), cPrev.Slice(r * H, H),
                    dm.Slice(r * H, H), dc.Slice(r * H, H), g.Slice(r * GH, GH));
            // ∂h_{t−1} = ∂pre W_hh, replacing ∂h_t: (n, 4H) × (4H, P)
            _gemm.Multiply(false, false, n, P, GH, T.One, g, GH, whh, P, T.Zero, dh, P);
        }

        // Weight and bias gradients of all steps at once; rows of padded steps hold zero gradients.
        _gemm.Multiply(true, false, GH, inputWidth, rows, T.One, gradPre, GH, x, inputWidth, T.One, _weightIh[k].Grad.Data, inputWidth);
        ReadOnlySpan<T> previousStates = states.Slice((reverse ? 1 : 0) * bp, rows * P);
        _gemm.Multiply(true, false, GH, P, rows, T.One, gradPre, GH, previousStates, P, T.One, _weightHh[k].Grad.Data, P);
        _gemm.Multiply(true, false, P, H, rows, T.One, gradStates, P, cellOutputs, H, T.One, _weightHr[k]!.Grad.Data, H);
        if (_biasIh[k] is { } bih && _biasHh[k] is { } bhh)
        {
            ReadOnlySpan<T> ones = _buffers.Ones.AsSpan(0, rows);
            _gemm.Multiply(false, false, 1, GH, rows, T.One, ones, rows, gradPre, GH, T.One, bih.Grad.Data, GH);
            _gemm.Multiply(false, false, 1, GH, rows, T.One, ones, rows, gradPre, GH, T.One, bhh.Grad.Data, GH);
        }
    }
}

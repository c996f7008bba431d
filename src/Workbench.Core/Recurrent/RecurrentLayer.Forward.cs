using System.Numerics;
using System.Numerics.Tensors;
using Workbench.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

// The forward kernels of one layer and direction, on the sorted batch (active sequences are a prefix).
public partial class RecurrentLayer<T>
{
    private void ForwardDirection(int layer, int direction, ReadOnlySpan<T> x, int inputWidth, NdArray<T>? h0, NdArray<T>? c0)
    {
        var o = Options;
        int D = o.NumDirections, k = layer * D + direction, H = o.HiddenSize, GH = o.GateCount * H, DH = D * H;
        int steps = _steps, batch = _batch, rows = steps * batch, bh = batch * H, bgh = batch * GH;
        bool reverse = direction == 1;
        Workspace w = _workspaces[direction];
        ReadOnlySpan<T> wih = _weightIh[k].Value.Data, whh = _weightHh[k].Value.Data;
        ReadOnlySpan<T> bih = _biasIh[k] is { } pbi ? pbi.Value.Data : default;
        ReadOnlySpan<T> bhh = _biasHh[k] is { } pbh ? pbh.Value.Data : default;

        // The input side of every gate at every step in one product: (T·B, in) × W_ihᵀ → (T·B, G·H).
        Span<T> gates = _gates[k].AsSpan(0, rows * GH);
        Multiply(false, true, rows, GH, inputWidth, T.One, x, inputWidth, wih, inputWidth, T.Zero, gates, GH);
        if (!bih.IsEmpty) AddRowVector(gates, rows, GH, bih);

        Span<T> states = _states[k].AsSpan(0, (steps + 1) * bh);
        LoadSorted(h0, k, states.Slice((reverse ? steps : 0) * bh, bh));
        bool lstm = o.Kind == RecurrentKind.Lstm;
        Span<T> cells = lstm ? _cells[k].AsSpan(0, (steps + 1) * bh) : default;
        if (lstm) LoadSorted(c0, k, cells.Slice((reverse ? steps : 0) * bh, bh));
        Span<T> output = _layerOutputs[layer].AsSpan(0, rows * DH);

        for (int step = 0; step < steps; step++)
        {
            int t = reverse ? steps - 1 - step : step;
            int n = _active[t];
            int prev = reverse ? t + 1 : t, next = reverse ? t : t + 1;
            ReadOnlySpan<T> hPrev = states.Slice(prev * bh, bh);
            Span<T> hNext = states.Slice(next * bh, bh);
            // Sequences already finished (forward) or not yet started (reverse) carry their state unchanged.
            hPrev.Slice(n * H).CopyTo(hNext.Slice(n * H));
            if (lstm) cells.Slice(prev * bh + n * H, (batch - n) * H).CopyTo(cells.Slice(next * bh + n * H, (batch - n) * H));
            if (n > 0)
            {
                Span<T> a = gates.Slice(t * bgh, n * GH);
                switch (o.Kind)
                {
                    case RecurrentKind.RnnTanh:
                    case RecurrentKind.RnnRelu:
                        RnnStep(w, a, n, hPrev, hNext, whh, bhh);
                        break;
                    case RecurrentKind.Lstm:
                        LstmStep(w, a, n, hPrev, hNext, cells.Slice(prev * bh, bh), cells.Slice(next * bh, bh),
                            _tanhCells[k].AsSpan(t * bh, bh), whh, bhh);
                        break;
                    default:
                        if (o.ResetPlacement == GruResetPlacement.ResetAfter)
                            GruStepResetAfter(w, a, n, hPrev, hNext, _gruAux[k].AsSpan(t * bh, bh), whh, bhh);
                        else
                            GruStepResetBefore(w, a, n, hPrev, hNext, _gruAux[k].AsSpan(t * bh, bh), whh, bhh);
                        break;
                }
            }
            for (int r = 0; r < batch; r++)
            {
                Span<T> destination = output.Slice((t * batch + r) * DH + direction * H, H);
                if (r < n) hNext.Slice(r * H, H).CopyTo(destination);
                else destination.Clear();
            }
        }
    }

    // The recurrent side of all gates of one step in one product: h_prev (n, H) × W_hhᵀ → (n, G·H), plus b_hh.
    private Span<T> RecurrentProduct(Workspace w, int n, int width, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> whh, ReadOnlySpan<T> bhh)
    {
        int H = Options.HiddenSize, GH = Options.GateCount * H;
        Span<T> product = w.Recurrent.AsSpan(0, n * GH);
        Multiply(false, true, n, width, H, T.One, hPrev, H, whh, H, T.Zero, product, GH);
        if (!bhh.IsEmpty)
            for (int r = 0; r < n; r++) TensorPrimitives.Add(product.Slice(r * GH, width), bhh.Slice(0, width), product.Slice(r * GH, width));
        return product;
    }

    private void RnnStep(Workspace w, Span<T> a, int n, ReadOnlySpan<T> hPrev, Span<T> hNext, ReadOnlySpan<T> whh, ReadOnlySpan<T> bhh)
    {
        int H = Options.HiddenSize;
        TensorPrimitives.Add(a, RecurrentProduct(w, n, H, hPrev, whh, bhh), a);
        if (Options.Kind == RecurrentKind.RnnRelu) TensorPrimitives.Max(a, T.Zero, a);
        else TensorPrimitives.Tanh(a, a);
        a.CopyTo(hNext);
    }

    private void LstmStep(Workspace w, Span<T> a, int n, ReadOnlySpan<T> hPrev, Span<T> hNext, ReadOnlySpan<T> cPrev, Span<T> cNext,
        Span<T> tanhCells, ReadOnlySpan<T> whh, ReadOnlySpan<T> bhh)
    {
        int H = Options.HiddenSize, GH = 4 * H;
        TensorPrimitives.Add(a, RecurrentProduct(w, n, GH, hPrev, whh, bhh), a);
        for (int r = 0; r < n; r++)
        {
            Span<T> row = a.Slice(r * GH, GH);
            TensorPrimitives.Sigmoid(row.Slice(0, 2 * H), row.Slice(0, 2 * H));
            TensorPrimitives.Tanh(row.Slice(2 * H, H), row.Slice(2 * H, H));
            TensorPrimitives.Sigmoid(row.Slice(3 * H, H), row.Slice(3 * H, H));
            ReadOnlySpan<T> i = row.Slice(0, H), f = row.Slice(H, H), g = row.Slice(2 * H, H), og = row.Slice(3 * H, H);
            Span<T> c = cNext.Slice(r * H, H), tc = tanhCells.Slice(r * H, H);
            // C_t = f ⊙ C_{t−1} + i ⊙ g;  h_t = o ⊙ tanh(C_t)
            TensorPrimitives.Multiply(f, cPrev.Slice(r * H, H), c);
            TensorPrimitives.MultiplyAdd(i, g, c, c);
            TensorPrimitives.Tanh(c, tc);
            TensorPrimitives.Multiply(og, tc, hNext.Slice(r * H, H));
        }
    }

    private void GruStepResetAfter(Workspace w, Span<T> a, int n, ReadOnlySpan<T> hPrev, Span<T> hNext, Span<T> recurrentCandidate,
        ReadOnlySpan<T> whh, ReadOnlySpan<T> bhh)
    {
        int H = Options.HiddenSize, GH = 3 * H;
        Span<T> product = RecurrentProduct(w, n, GH, hPrev, whh, bhh);
        for (int r = 0; r < n; r++)
        {
            Span<T> row = a.Slice(r * GH, GH), hh = product.Slice(r * GH, GH);
            Span<T> rz = row.Slice(0, 2 * H), candidate = row.Slice(2 * H, H), hn = recurrentCandidate.Slice(r * H, H);
            TensorPrimitives.Add(rz, hh.Slice(0, 2 * H), rz);
            TensorPrimitives.Sigmoid(rz, rz);
            // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
            GateKernels.ResetCandidate<T>(row.Slice(0, H), hh.Slice(2 * H, H), hn, candidate);
            TensorPrimitives.Tanh(candidate, candidate);
            GruUpdate(row.Slice(H, H), candidate, hPrev.Slice(r * H, H), hNext.Slice(r * H, H));
        }
    }

    private void GruStepResetBefore(Workspace w, Span<T> a, int n, ReadOnlySpan<T> hPrev, Span<T> hNext, Span<T> resetHidden,
        ReadOnlySpan<T> whh, ReadOnlySpan<T> bhh)
    {
        int H = Options.HiddenSize, GH = 3 * H;
        Span<T> product = RecurrentProduct(w, n, 2 * H, hPrev, whh, bhh);
        for (int r = 0; r < n; r++)
        {
            Span<T> rz = a.Slice(r * GH, 2 * H);
            TensorPrimitives.Add(rz, product.Slice(r * GH, 2 * H), rz);
            TensorPrimitives.Sigmoid(rz, rz);
            TensorPrimitives.Multiply(rz.Slice(0, H), hPrev.Slice(r * H, H), resetHidden.Slice(r * H, H));
        }
        // Rows of sequences that are not active stay zero so the weight-gradient GEMM never reads stale values.
        resetHidden.Slice(n * H).Clear();
        // (r ⊙ h_prev) (n, H) × W_hnᵀ → the candidate's recurrent side, written beside the r, z products.
        Span<T> candidateProduct = w.Recurrent.AsSpan(2 * H, n * GH - 2 * H);
        Multiply(false, true, n, H, H, T.One, resetHidden, H, whh.Slice(2 * H * H), H, T.Zero, candidateProduct, GH);
        for (int r = 0; r < n; r++)
        {
            Span<T> row = a.Slice(r * GH, GH), candidate = row.Slice(2 * H, H), hn = candidateProduct.Slice(r * GH, H);
            if (!bhh.IsEmpty) TensorPrimitives.Add(hn, bhh.Slice(2 * H, H), hn);
            // h̃ = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)
            TensorPrimitives.Add(candidate, hn, candidate);
            TensorPrimitives.Tanh(candidate, candidate);
            GruUpdate(row.Slice(H, H), candidate, hPrev.Slice(r * H, H), hNext.Slice(r * H, H));
        }
    }

    // h = (1 − z) ⊙ n + z ⊙ h_prev (ZWeighsPrevious) or h = z ⊙ n + (1 − z) ⊙ h_prev (ZWeighsCandidate).
    // Written as two products (not n + z ⊙ (h_prev − n)) so that z = 0 or 1 gives n or h_prev exactly.
    private void GruUpdate(ReadOnlySpan<T> z, ReadOnlySpan<T> candidate, ReadOnlySpan<T> hPrev, Span<T> h)
    {
        GateKernels.Blend(z, candidate, hPrev, h, Options.UpdateConvention == GruUpdateConvention.ZWeighsPrevious);
    }

    private static void AddRowVector(Span<T> matrix, int rows, int columns, ReadOnlySpan<T> vector)
    {
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(matrix.Slice(r * columns, columns), vector, matrix.Slice(r * columns, columns));
    }
}

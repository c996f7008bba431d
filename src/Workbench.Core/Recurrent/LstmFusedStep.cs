using System.Runtime.CompilerServices;
using Workbench.Numerics;

namespace Workbench.Recurrent;

/// <summary>
/// The float LSTM forward step as one pass: per block of V hidden units (V = the SIMD width) and tile of batch
/// rows, the recurrent product h_{t−1} W_hhᵀ for the block's four gates accumulates in registers, and the gate
/// math (biases, σ/tanh, c_t, tanh c_t, h_t) runs on those registers right away; the pre-activations never go to
/// memory and there is no separate pass for the bias, the activations or the update.
/// </summary>
/// <remarks>
/// <para>W_hh is packed once per direction and call (<see cref="Pack"/>): for block u, step k the V weights of gate
/// i, then f, g, o, so one step of k is four contiguous vectors. The input side x_t W_ihᵀ was computed for all steps
/// before the loop; b_ih and b_hh are added here, in the association of the unfused step:
/// (x W_ihᵀ + b_ih) + (h W_hhᵀ + b_hh).</para>
/// <para>Determinism: each element's product is one chain of fused multiply-adds over k in order, from zero, in the
/// full tile and in the one-row tile alike; threads split the unit blocks only, so the bits do not depend on the
/// thread count.</para>
/// </remarks>
[SkipLocalsInit]
internal sealed unsafe class LstmFusedStep : IGemmPartition
{
    /// <summary>Multiply-adds per thread below which a second thread costs more than it saves.</summary>
    private const long WorkPerThread = 1L << 17;

    [ThreadStatic] private static LstmFusedStep? perThread;

    // hPrev is the product's left operand: h_{t−1} (B, H) in a step, the inputs (T·B, depth) in a projection.
    private float* gates, biasIh, biasHh, hPrev, cPrev, cell, tanhCell, state, packed;
    private int rows, hidden, depth, blocks, parts;
    private bool projection;
    private FusedLanes lanes;

    /// <summary>Hidden units per block at <paramref name="lanes"/>.</summary>
    public static int BlockWidth(FusedLanes lanes) => FusedGatePacking.BlockWidth(lanes);

    /// <summary>Floats of a (4H, <paramref name="depth"/>) weight packed for hidden size <paramref name="hidden"/> (<see cref="FusedGatePacking"/>).</summary>
    public static int PackedLength(int hidden, int depth, FusedLanes lanes) => FusedGatePacking.PackedLength(4, hidden, depth, lanes);

    /// <summary>Packs W (4H, depth), row-major (W_hh, or W_ih for <see cref="Project"/>), as <see cref="FusedGatePacking.Pack"/> does.</summary>
    public static void Pack(ReadOnlySpan<float> weight, int hidden, int depth, FusedLanes lanes, Span<float> packed) =>
        FusedGatePacking.Pack(4, "LSTM", weight, hidden, depth, lanes, packed);

    /// <summary>
    /// gates (rows, 4H) ← x (rows, depth) Wᵀ with W packed by <see cref="Pack"/>: the input projection of all steps on
    /// the step's register tile (for products too small for the packed GEMM to pay off).
    /// </summary>
    public static void Project(FusedLanes lanes, int rows, int hidden, int depth, ReadOnlySpan<float> x, ReadOnlySpan<float> packed,
        Span<float> gates, int threads)
    {
        if (lanes == FusedLanes.None || depth < 1 || x.Length < (long)rows * depth || gates.Length < (long)rows * 4 * hidden
            || packed.Length < PackedLength(hidden, depth, lanes))
            throw new ArgumentException("LSTM fused input projection: a buffer is too short for its shape.");
        var job = perThread ??= new LstmFusedStep();
        fixed (float* px = x, pw = packed, pg = gates)
        {
            job.gates = pg;
            job.hPrev = px;
            job.packed = pw;
            job.Start(lanes, rows, hidden, depth, projection: true, threads);
        }
    }

    /// <summary>
    /// One step for rows 0..<paramref name="rows"/>: <paramref name="gates"/> (rows, 4H) holds x W_ihᵀ on entry and the
    /// activated gates on return; c_t, tanh c_t and h_t are written. Biases are (4H) (zeros when the layer has none).
    /// </summary>
    public static void Run(FusedLanes lanes, int rows, int hidden, Span<float> gates, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> cell, Span<float> tanhCell, Span<float> state,
        ReadOnlySpan<float> packed, int threads, LstmFusedStep? job = null)
    {
        int gh = 4 * hidden, bh = rows * hidden;
        if (lanes == FusedLanes.None || gates.Length < rows * gh || biasIh.Length < gh || biasHh.Length < gh || hPrev.Length < bh
            || cPrev.Length < bh || cell.Length < bh || tanhCell.Length < bh || state.Length < bh || packed.Length < PackedLength(hidden, hidden, lanes))
            throw new ArgumentException("LSTM fused step: a buffer is too short for its shape.");
        job ??= perThread ??= new LstmFusedStep();
        fixed (float* pg = gates, pbi = biasIh, pbh = biasHh, ph = hPrev, pc = cPrev, pcn = cell, ptc = tanhCell, phn = state, pw = packed)
        {
            job.gates = pg;
            job.biasIh = pbi;
            job.biasHh = pbh;
            job.hPrev = ph;
            job.cPrev = pc;
            job.cell = pcn;
            job.tanhCell = ptc;
            job.state = phn;
            job.packed = pw;
            job.Start(lanes, rows, hidden, hidden, projection: false, threads);
        }
    }

    // Runs the parts on the GEMM's workers (operands already set), then drops the pointers, even on failure.
    private void Start(FusedLanes lanes, int rows, int hidden, int depth, bool projection, int threads)
    {
        int v = BlockWidth(lanes);
        this.lanes = lanes;
        this.rows = rows;
        this.hidden = hidden;
        this.depth = depth;
        this.projection = projection;
        blocks = (hidden + v - 1) / v;
        long work = (long)rows * 4 * hidden * depth;
        int useThreads = (int)Math.Clamp(work / WorkPerThread, 1, Math.Min(threads, blocks));
        // A couple of parts per thread, first come first served: a preempted thread delays the step by one part only.
        parts = useThreads == 1 ? 1 : Math.Min(blocks, 2 * useThreads);
        try
        {
            GemmWorkers.Run(this, parts, useThreads);
        }
        finally
        {
            gates = biasIh = biasHh = hPrev = cPrev = cell = tanhCell = state = packed = null;
        }
    }

    /// <inheritdoc/>
    public void Run(int part)
    {
        int u0 = (int)((long)blocks * part / parts), u1 = (int)((long)blocks * (part + 1) / parts);
        if (lanes == FusedLanes.Vector512) Blocks<FloatLanes512>(u0, u1);
        else Blocks<FloatLanes256>(u0, u1);
    }

    private void Blocks<TL>(int u0, int u1) where TL : struct, IFloatLanes<TL>
    {
        // The tile's accumulators go through this scratch between the product and the gate math: kept apart, the
        // product loop holds all of them in registers (with the gate math inlined after it, the JIT spilled them).
        int v = TL.Count, tiled = rows - rows % TL.Rows;
        float* sums = stackalloc float[24 * v];
        for (int u = u0; u < u1; u++)
        {
            int r = 0;
            // With 32 registers (AVX-512) six rows × four gates fit: each weight vector loaded feeds six
            // multiply-adds instead of four. An even number of six-row tiles leaves a multiple of four rows.
            if (TL.Count == 16)
                for (int sixes = tiled / 12 * 12; r < sixes; r += 6)
                {
                    Tile<TL, SixRows>(r, u, sums);
                    for (int row = 0; row < 6; row++) Finish<TL>(r + row, u, sums + row * 4 * v);
                }
            for (; r < tiled; r += TL.Rows)
            {
                if (TL.Rows == 4) Tile<TL, FourRows>(r, u, sums);
                else Tile<TL, TwoRows>(r, u, sums);
                for (int row = 0; row < TL.Rows; row++) Finish<TL>(r + row, u, sums + row * 4 * v);
            }
        }
        // The rows left over (all of them at batch 1) take up to four blocks at once: one block alone is four chains
        // of dependent multiply-adds, too few to hide their latency.
        for (int r = tiled; r < rows; r++)
            for (int u = u0; u < u1; u += 4)
            {
                int count = Math.Min(4, u1 - u);
                Row<TL>(r, u, count, sums);
                for (int b = 0; b < count; b++) Finish<TL>(r, u + b, sums + b * 4 * v);
            }
    }

    // TR.Count rows × the block's four gates in registers (the unused rows compile away); sums receives row by row
    // the i, f, g, o vectors.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private void Tile<TL, TR>(int r, int u, float* sums) where TL : struct, IFloatLanes<TL> where TR : struct, ITileRows
    {
        int v = TL.Count, h = depth;
        float* p = packed + (long)u * h * 4 * v;
        float* a0 = hPrev + (long)r * h, a1 = a0 + h, a2 = a1 + h, a3 = a2 + h, a4 = a3 + h, a5 = a4 + h;
        TL i0 = default, f0 = default, g0 = default, o0 = default, i1 = default, f1 = default, g1 = default, o1 = default;
        TL i2 = default, f2 = default, g2 = default, o2 = default, i3 = default, f3 = default, g3 = default, o3 = default;
        TL i4 = default, f4 = default, g4 = default, o4 = default, i5 = default, f5 = default, g5 = default, o5 = default;
        for (int k = 0; k < h; k++, p += 4 * v)
        {
            TL wi = TL.Load(p), wf = TL.Load(p + v), wg = TL.Load(p + 2 * v), wo = TL.Load(p + 3 * v);
            { TL x = TL.Broadcast(a0[k]); i0 = TL.Fma(x, wi, i0); f0 = TL.Fma(x, wf, f0); g0 = TL.Fma(x, wg, g0); o0 = TL.Fma(x, wo, o0); }
            { TL x = TL.Broadcast(a1[k]); i1 = TL.Fma(x, wi, i1); f1 = TL.Fma(x, wf, f1); g1 = TL.Fma(x, wg, g1); o1 = TL.Fma(x, wo, o1); }
            if (TR.Count > 2)
            {
                { TL x = TL.Broadcast(a2[k]); i2 = TL.Fma(x, wi, i2); f2 = TL.Fma(x, wf, f2); g2 = TL.Fma(x, wg, g2); o2 = TL.Fma(x, wo, o2); }
                { TL x = TL.Broadcast(a3[k]); i3 = TL.Fma(x, wi, i3); f3 = TL.Fma(x, wf, f3); g3 = TL.Fma(x, wg, g3); o3 = TL.Fma(x, wo, o3); }
            }
            if (TR.Count > 4)
            {
                { TL x = TL.Broadcast(a4[k]); i4 = TL.Fma(x, wi, i4); f4 = TL.Fma(x, wf, f4); g4 = TL.Fma(x, wg, g4); o4 = TL.Fma(x, wo, o4); }
                { TL x = TL.Broadcast(a5[k]); i5 = TL.Fma(x, wi, i5); f5 = TL.Fma(x, wf, f5); g5 = TL.Fma(x, wg, g5); o5 = TL.Fma(x, wo, o5); }
            }
        }
        TL.Store(i0, sums);
        TL.Store(f0, sums + v);
        TL.Store(g0, sums + 2 * v);
        TL.Store(o0, sums + 3 * v);
        TL.Store(i1, sums + 4 * v);
        TL.Store(f1, sums + 5 * v);
        TL.Store(g1, sums + 6 * v);
        TL.Store(o1, sums + 7 * v);
        if (TR.Count > 2)
        {
            TL.Store(i2, sums + 8 * v);
            TL.Store(f2, sums + 9 * v);
            TL.Store(g2, sums + 10 * v);
            TL.Store(o2, sums + 11 * v);
            TL.Store(i3, sums + 12 * v);
            TL.Store(f3, sums + 13 * v);
            TL.Store(g3, sums + 14 * v);
            TL.Store(o3, sums + 15 * v);
        }
        if (TR.Count > 4)
        {
            TL.Store(i4, sums + 16 * v);
            TL.Store(f4, sums + 17 * v);
            TL.Store(g4, sums + 18 * v);
            TL.Store(o4, sums + 19 * v);
            TL.Store(i5, sums + 20 * v);
            TL.Store(f5, sums + 21 * v);
            TL.Store(g5, sums + 22 * v);
            TL.Store(o5, sums + 23 * v);
        }
    }

    // One row, blocks u..u+count−1 (count ≤ 4): the same chain per element as the tile's; sums receives block by
    // block the i, f, g, o vectors.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private void Row<TL>(int r, int u, int count, float* sums) where TL : struct, IFloatLanes<TL>
    {
        int v = TL.Count, h = depth;
        long panel = (long)h * 4 * v;
        float* p = packed + u * panel;
        float* a0 = hPrev + (long)r * h;
        TL i0 = default, f0 = default, g0 = default, o0 = default, i1 = default, f1 = default, g1 = default, o1 = default;
        TL i2 = default, f2 = default, g2 = default, o2 = default, i3 = default, f3 = default, g3 = default, o3 = default;
        for (int k = 0; k < h; k++, p += 4 * v)
        {
            TL x = TL.Broadcast(a0[k]);
            i0 = TL.Fma(x, TL.Load(p), i0);
            f0 = TL.Fma(x, TL.Load(p + v), f0);
            g0 = TL.Fma(x, TL.Load(p + 2 * v), g0);
            o0 = TL.Fma(x, TL.Load(p + 3 * v), o0);
            if (count > 1)
            {
                float* q = p + panel;
                i1 = TL.Fma(x, TL.Load(q), i1);
                f1 = TL.Fma(x, TL.Load(q + v), f1);
                g1 = TL.Fma(x, TL.Load(q + 2 * v), g1);
                o1 = TL.Fma(x, TL.Load(q + 3 * v), o1);
                if (count > 2)
                {
                    q += panel;
                    i2 = TL.Fma(x, TL.Load(q), i2);
                    f2 = TL.Fma(x, TL.Load(q + v), f2);
                    g2 = TL.Fma(x, TL.Load(q + 2 * v), g2);
                    o2 = TL.Fma(x, TL.Load(q + 3 * v), o2);
                    if (count > 3)
                    {
                        q += panel;
                        i3 = TL.Fma(x, TL.Load(q), i3);
                        f3 = TL.Fma(x, TL.Load(q + v), f3);
                        g3 = TL.Fma(x, TL.Load(q + 2 * v), g3);
                        o3 = TL.Fma(x, TL.Load(q + 3 * v), o3);
                    }
                }
            }
        }
        TL.Store(i0, sums);
        TL.Store(f0, sums + v);
        TL.Store(g0, sums + 2 * v);
        TL.Store(o0, sums + 3 * v);
        TL.Store(i1, sums + 4 * v);
        TL.Store(f1, sums + 5 * v);
        TL.Store(g1, sums + 6 * v);
        TL.Store(o1, sums + 7 * v);
        TL.Store(i2, sums + 8 * v);
        TL.Store(f2, sums + 9 * v);
        TL.Store(g2, sums + 10 * v);
        TL.Store(o2, sums + 11 * v);
        TL.Store(i3, sums + 12 * v);
        TL.Store(f3, sums + 13 * v);
        TL.Store(g3, sums + 14 * v);
        TL.Store(o3, sums + 15 * v);
    }

    // The sums of row r, block u: the gate math of a step, or stored as they are by a projection.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Finish<TL>(int r, int u, float* sums) where TL : struct, IFloatLanes<TL>
    {
        int v = TL.Count;
        if (!projection)
        {
            Cell(r, u, TL.Load(sums), TL.Load(sums + v), TL.Load(sums + 2 * v), TL.Load(sums + 3 * v));
            return;
        }
        int h = hidden, j = u * v, count = Math.Min(v, h - j);
        float* row = gates + (long)r * 4 * h + j;
        for (int gate = 0; gate < 4; gate++)
        {
            if (count == v) TL.Store(TL.Load(sums + gate * v), row + gate * h);
            else new Span<float>(sums + gate * v, count).CopyTo(new Span<float>(row + gate * h, count));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Cell<TL>(int r, int u, TL i, TL f, TL g, TL o) where TL : struct, IFloatLanes<TL>
    {
        int v = TL.Count, h = hidden, j = u * v;
        long at = (long)r * h + j;
        if (j + v <= h)
            Update(gates + (long)r * 4 * h + j, h, biasIh + j, biasHh + j, cPrev + at, cell + at, tanhCell + at, state + at, i, f, g, o);
        else
            PartialBlock(r, j, i, f, g, o);
    }

    // The last block when V does not divide H: the same update on scratch copies of its h − j valid lanes.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PartialBlock<TL>(int r, int j, TL i, TL f, TL g, TL o) where TL : struct, IFloatLanes<TL>
    {
        int v = TL.Count, h = hidden, count = h - j;
        float* scratch = stackalloc float[16 * v];
        new Span<float>(scratch, 16 * v).Clear();
        float* gin = scratch, bi = scratch + 4 * v, bh = scratch + 8 * v, cp = scratch + 12 * v, cn = cp + v, tc = cn + v, hn = tc + v;
        float* row = gates + (long)r * 4 * h;
        long at = (long)r * h + j;
        for (int gate = 0; gate < 4; gate++)
        {
            new Span<float>(row + gate * h + j, count).CopyTo(new Span<float>(gin + gate * v, count));
            new Span<float>(biasIh + gate * h + j, count).CopyTo(new Span<float>(bi + gate * v, count));
            new Span<float>(biasHh + gate * h + j, count).CopyTo(new Span<float>(bh + gate * v, count));
        }
        new Span<float>(cPrev + at, count).CopyTo(new Span<float>(cp, count));
        Update(gin, v, bi, bh, cp, cn, tc, hn, i, f, g, o);
        for (int gate = 0; gate < 4; gate++) new Span<float>(gin + gate * v, count).CopyTo(new Span<float>(row + gate * h + j, count));
        new Span<float>(cn, count).CopyTo(new Span<float>(cell + at, count));
        new Span<float>(tc, count).CopyTo(new Span<float>(tanhCell + at, count));
        new Span<float>(hn, count).CopyTo(new Span<float>(state + at, count));
    }

    // i, f, g, o = σ, σ, tanh, σ of (x W_ihᵀ + b_ih) + (h W_hhᵀ + b_hh); c_t = f ⊙ c_{t−1} + i ⊙ g; h_t = o ⊙ tanh c_t.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update<TL>(float* gin, long stride, float* bi, float* bh, float* cp, float* cn, float* tc, float* hn,
        TL i, TL f, TL g, TL o) where TL : struct, IFloatLanes<TL>
    {
        i = TL.Sigmoid(TL.Add(TL.Add(TL.Load(gin), TL.Load(bi)), TL.Add(i, TL.Load(bh))));
        f = TL.Sigmoid(TL.Add(TL.Add(TL.Load(gin + stride), TL.Load(bi + stride)), TL.Add(f, TL.Load(bh + stride))));
        g = TL.Tanh(TL.Add(TL.Add(TL.Load(gin + 2 * stride), TL.Load(bi + 2 * stride)), TL.Add(g, TL.Load(bh + 2 * stride))));
        o = TL.Sigmoid(TL.Add(TL.Add(TL.Load(gin + 3 * stride), TL.Load(bi + 3 * stride)), TL.Add(o, TL.Load(bh + 3 * stride))));
        TL.Store(i, gin);
        TL.Store(f, gin + stride);
        TL.Store(g, gin + 2 * stride);
        TL.Store(o, gin + 3 * stride);
        TL c = TL.Add(TL.Multiply(f, TL.Load(cp)), TL.Multiply(i, g));
        TL t = TL.Tanh(c);
        TL.Store(c, cn);
        TL.Store(t, tc);
        TL.Store(TL.Multiply(o, t), hn);
    }
}

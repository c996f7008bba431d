using System.Runtime.CompilerServices;
using Workbench.Numerics;

namespace Workbench.Recurrent;

/// <summary>
/// The float GRU forward step with the reset gate after the product (<c>torch.nn.GRU</c>) as one pass: per block of
/// V hidden units (V = the SIMD width) and tile of batch rows, h_{t−1} W_hhᵀ for the block's three gates accumulates
/// in registers and the gate math (biases, σ, tanh, the blend) runs on those registers right away; no GEMM call with
/// its per-call packing of W_hh, no pass over the recurrent product, the biases or the activations.
/// </summary>
/// <remarks>
/// <para>W_hh is packed once per direction and call (<see cref="Pack"/>): for block u, step k the V weights of gate
/// r, then z, n, so one step of k is three contiguous vectors. The input side x_t W_ihᵀ was computed for all steps
/// before the loop; b_ih and b_hh are added here in the association of the unfused step:
/// r, z = σ((x W_ihᵀ + b_ih) + (h W_hhᵀ + b_hh)); q = h W_hnᵀ + b_hn; n = tanh(r ⊙ q + (x W_inᵀ + b_in)).</para>
/// <para>What the backward pass reads is stored as the unfused step stores it: r, z, n in the gate row, q per step.</para>
/// <para>Determinism: each element's product is one chain of fused multiply-adds over k in order, from zero, in the
/// full tile and in the one-row tile alike; threads split the unit blocks only, so the bits do not depend on the
/// thread count.</para>
/// </remarks>
[SkipLocalsInit]
internal sealed unsafe class GruFusedStep : IGemmPartition
{
    /// <summary>Multiply-adds per thread below which a second thread costs more than it saves.</summary>
    private const long WorkPerThread = 1L << 17;

    [ThreadStatic] private static GruFusedStep? perThread;

    // hPrev is the product's left operand: h_{t−1} (B, H) in a step, the inputs (T·B, depth) in a projection.
    private float* gates, biasIh, biasHh, hPrev, recurrentCandidate, state, packed;
    private int rows, hidden, depth, blocks, parts;
    private bool projection, zWeighsPrevious;
    private FusedLanes lanes;

    /// <summary>Hidden units per block at <paramref name="lanes"/>.</summary>
    public static int BlockWidth(FusedLanes lanes) => FusedGatePacking.BlockWidth(lanes);

    /// <summary>Floats of a (3H, <paramref name="depth"/>) weight packed for hidden size <paramref name="hidden"/> (<see cref="FusedGatePacking"/>).</summary>
    public static int PackedLength(int hidden, int depth, FusedLanes lanes) => FusedGatePacking.PackedLength(3, hidden, depth, lanes);

    /// <summary>Packs W (3H, depth), row-major (W_hh, or W_ih for <see cref="Project"/>), as <see cref="FusedGatePacking.Pack"/> does.</summary>
    public static void Pack(ReadOnlySpan<float> weight, int hidden, int depth, FusedLanes lanes, Span<float> packed) =>
        FusedGatePacking.Pack(3, "GRU", weight, hidden, depth, lanes, packed);

    /// <summary>
    /// gates (rows, 3H) ← x (rows, depth) Wᵀ with W packed by <see cref="Pack"/>: the input projection of all steps on
    /// the step's register tile (for products too small for the packed GEMM to pay off).
    /// </summary>
    public static void Project(FusedLanes lanes, int rows, int hidden, int depth, ReadOnlySpan<float> x, ReadOnlySpan<float> packed,
        Span<float> gates, int threads)
    {
        if (lanes == FusedLanes.None || depth < 1 || x.Length < (long)rows * depth || gates.Length < (long)rows * 3 * hidden
            || packed.Length < PackedLength(hidden, depth, lanes))
            throw new ArgumentException("GRU fused input projection: a buffer is too short for its shape.");
        var job = perThread ??= new GruFusedStep();
        fixed (float* px = x, pw = packed, pg = gates)
        {
            job.gates = pg;
            job.hPrev = px;
            job.packed = pw;
            job.Start(lanes, rows, hidden, depth, projection: true, zWeighsPrevious: true, threads);
        }
    }

    /// <summary>
    /// One step for rows 0..<paramref name="rows"/>: <paramref name="gates"/> (rows, 3H) holds x W_ihᵀ on entry and
    /// r, z, n on return; <paramref name="recurrentCandidate"/> (rows, H) receives q = h W_hnᵀ + b_hn and
    /// <paramref name="state"/> h_t. Biases are (3H) (zeros when the layer has none).
    /// </summary>
    public static void Run(FusedLanes lanes, int rows, int hidden, Span<float> gates, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh,
        ReadOnlySpan<float> hPrev, Span<float> recurrentCandidate, Span<float> state, ReadOnlySpan<float> packed, bool zWeighsPrevious, int threads, GruFusedStep? job = null)
    {
        int gh = 3 * hidden, bh = rows * hidden;
        if (lanes == FusedLanes.None || gates.Length < rows * gh || biasIh.Length < gh || biasHh.Length < gh || hPrev.Length < bh
            || recurrentCandidate.Length < bh || state.Length < bh || packed.Length < PackedLength(hidden, hidden, lanes))
            throw new ArgumentException("GRU fused step: a buffer is too short for its shape.");
        job ??= perThread ??= new GruFusedStep();
        fixed (float* pg = gates, pbi = biasIh, pbh = biasHh, ph = hPrev, pq = recurrentCandidate, phn = state, pw = packed)
        {
            job.gates = pg;
            job.biasIh = pbi;
            job.biasHh = pbh;
            job.hPrev = ph;
            job.recurrentCandidate = pq;
            job.state = phn;
            job.packed = pw;
            job.Start(lanes, rows, hidden, hidden, projection: false, zWeighsPrevious, threads);
        }
    }

    // Runs the parts on the GEMM's workers (operands already set), then drops the pointers, even on failure.
    private void Start(FusedLanes lanes, int rows, int hidden, int depth, bool projection, bool zWeighsPrevious, int threads)
    {
        int v = BlockWidth(lanes);
        this.lanes = lanes;
        this.rows = rows;
        this.hidden = hidden;
        this.depth = depth;
        this.projection = projection;
        this.zWeighsPrevious = zWeighsPrevious;
        blocks = (hidden + v - 1) / v;
        long work = (long)rows * 3 * hidden * depth;
        int useThreads = (int)Math.Clamp(work / WorkPerThread, 1, Math.Min(threads, blocks));
        // A couple of parts per thread, first come first served: a preempted thread delays the step by one part only.
        parts = useThreads == 1 ? 1 : Math.Min(blocks, 2 * useThreads);
        try
        {
            GemmWorkers.Run(this, parts, useThreads);
        }
        finally
        {
            gates = biasIh = biasHh = hPrev = recurrentCandidate = state = packed = null;
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
        // The tile's accumulators go through this scratch between the product and the gate math, as in the LSTM's
        // step: kept apart, the product loop holds all of them in registers.
        int v = TL.Count, tiled = rows - rows % TL.Rows;
        float* sums = stackalloc float[24 * v];
        for (int u = u0; u < u1; u++)
        {
            int r = 0;
            // With 32 registers (AVX-512) eight rows × three gates fit: each weight vector loaded feeds eight
            // multiply-adds instead of four, which halves the weight traffic from L2.
            if (TL.Count == 16)
                for (; r + 8 <= tiled; r += 8)
                {
                    Tile<TL, EightRows>(r, u, sums);
                    for (int row = 0; row < 8; row++) Finish<TL>(r + row, u, sums + row * 3 * v);
                }
            for (; r < tiled; r += TL.Rows)
            {
                if (TL.Rows == 4) Tile<TL, FourRows>(r, u, sums);
                else Tile<TL, TwoRows>(r, u, sums);
                for (int row = 0; row < TL.Rows; row++) Finish<TL>(r + row, u, sums + row * 3 * v);
            }
        }
        // The rows left over (all of them at batch 1) take up to four blocks at once: one block alone is three chains
        // of dependent multiply-adds, too few to hide their latency.
        for (int r = tiled; r < rows; r++)
            for (int u = u0; u < u1; u += 4)
            {
                int count = Math.Min(4, u1 - u);
                Row<TL>(r, u, count, sums);
                for (int b = 0; b < count; b++) Finish<TL>(r, u + b, sums + b * 3 * v);
            }
    }

    // TR.Count rows × the block's three gates in registers (a constant per instantiation: the unused rows compile
    // away); sums receives row by row the r, z, n vectors.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private void Tile<TL, TR>(int r, int u, float* sums) where TL : struct, IFloatLanes<TL> where TR : struct, ITileRows
    {
        int v = TL.Count, h = depth;
        float* p = packed + (long)u * h * 3 * v;
        // One pointer per row, so the loop indexes each with k alone (no per-iteration row offsets).
        float* a0 = hPrev + (long)r * h, a1 = a0 + h, a2 = a1 + h, a3 = a2 + h, a4 = a3 + h, a5 = a4 + h, a6 = a5 + h, a7 = a6 + h;
        TL r0 = default, z0 = default, n0 = default, r1 = default, z1 = default, n1 = default;
        TL r2 = default, z2 = default, n2 = default, r3 = default, z3 = default, n3 = default;
        TL r4 = default, z4 = default, n4 = default, r5 = default, z5 = default, n5 = default;
        TL r6 = default, z6 = default, n6 = default, r7 = default, z7 = default, n7 = default;
        for (int k = 0; k < h; k++, p += 3 * v)
        {
            TL wr = TL.Load(p), wz = TL.Load(p + v), wn = TL.Load(p + 2 * v);
            { TL x = TL.Broadcast(a0[k]); r0 = TL.Fma(x, wr, r0); z0 = TL.Fma(x, wz, z0); n0 = TL.Fma(x, wn, n0); }
            { TL x = TL.Broadcast(a1[k]); r1 = TL.Fma(x, wr, r1); z1 = TL.Fma(x, wz, z1); n1 = TL.Fma(x, wn, n1); }
            if (TR.Count > 2)
            {
                { TL x = TL.Broadcast(a2[k]); r2 = TL.Fma(x, wr, r2); z2 = TL.Fma(x, wz, z2); n2 = TL.Fma(x, wn, n2); }
                { TL x = TL.Broadcast(a3[k]); r3 = TL.Fma(x, wr, r3); z3 = TL.Fma(x, wz, z3); n3 = TL.Fma(x, wn, n3); }
            }
            if (TR.Count > 4)
            {
                { TL x = TL.Broadcast(a4[k]); r4 = TL.Fma(x, wr, r4); z4 = TL.Fma(x, wz, z4); n4 = TL.Fma(x, wn, n4); }
                { TL x = TL.Broadcast(a5[k]); r5 = TL.Fma(x, wr, r5); z5 = TL.Fma(x, wz, z5); n5 = TL.Fma(x, wn, n5); }
                { TL x = TL.Broadcast(a6[k]); r6 = TL.Fma(x, wr, r6); z6 = TL.Fma(x, wz, z6); n6 = TL.Fma(x, wn, n6); }
                { TL x = TL.Broadcast(a7[k]); r7 = TL.Fma(x, wr, r7); z7 = TL.Fma(x, wz, z7); n7 = TL.Fma(x, wn, n7); }
            }
        }
        TL.Store(r0, sums);
        TL.Store(z0, sums + v);
        TL.Store(n0, sums + 2 * v);
        TL.Store(r1, sums + 3 * v);
        TL.Store(z1, sums + 4 * v);
        TL.Store(n1, sums + 5 * v);
        if (TR.Count > 2)
        {
            TL.Store(r2, sums + 6 * v);
            TL.Store(z2, sums + 7 * v);
            TL.Store(n2, sums + 8 * v);
            TL.Store(r3, sums + 9 * v);
            TL.Store(z3, sums + 10 * v);
            TL.Store(n3, sums + 11 * v);
        }
        if (TR.Count > 4)
        {
            TL.Store(r4, sums + 12 * v);
            TL.Store(z4, sums + 13 * v);
            TL.Store(n4, sums + 14 * v);
            TL.Store(r5, sums + 15 * v);
            TL.Store(z5, sums + 16 * v);
            TL.Store(n5, sums + 17 * v);
            TL.Store(r6, sums + 18 * v);
            TL.Store(z6, sums + 19 * v);
            TL.Store(n6, sums + 20 * v);
            TL.Store(r7, sums + 21 * v);
            TL.Store(z7, sums + 22 * v);
            TL.Store(n7, sums + 23 * v);
        }
    }

    // One row, blocks u..u+count−1 (count ≤ 4): the same chain per element as the tile's; sums receives block by
    // block the r, z, n vectors.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private void Row<TL>(int r, int u, int count, float* sums) where TL : struct, IFloatLanes<TL>
    {
        int v = TL.Count, h = depth;
        long panel = (long)h * 3 * v;
        float* p = packed + u * panel;
        float* a0 = hPrev + (long)r * h;
        TL r0 = default, z0 = default, n0 = default, r1 = default, z1 = default, n1 = default;
        TL r2 = default, z2 = default, n2 = default, r3 = default, z3 = default, n3 = default;
        for (int k = 0; k < h; k++, p += 3 * v)
        {
            TL x = TL.Broadcast(a0[k]);
            r0 = TL.Fma(x, TL.Load(p), r0);
            z0 = TL.Fma(x, TL.Load(p + v), z0);
            n0 = TL.Fma(x, TL.Load(p + 2 * v), n0);
            if (count > 1)
            {
                float* q = p + panel;
                r1 = TL.Fma(x, TL.Load(q), r1);
                z1 = TL.Fma(x, TL.Load(q + v), z1);
                n1 = TL.Fma(x, TL.Load(q + 2 * v), n1);
                if (count > 2)
                {
                    q += panel;
                    r2 = TL.Fma(x, TL.Load(q), r2);
                    z2 = TL.Fma(x, TL.Load(q + v), z2);
                    n2 = TL.Fma(x, TL.Load(q + 2 * v), n2);
                    if (count > 3)
                    {
                        q += panel;
                        r3 = TL.Fma(x, TL.Load(q), r3);
                        z3 = TL.Fma(x, TL.Load(q + v), z3);
                        n3 = TL.Fma(x, TL.Load(q + 2 * v), n3);
                    }
                }
            }
        }
        TL.Store(r0, sums);
        TL.Store(z0, sums + v);
        TL.Store(n0, sums + 2 * v);
        TL.Store(r1, sums + 3 * v);
        TL.Store(z1, sums + 4 * v);
        TL.Store(n1, sums + 5 * v);
        TL.Store(r2, sums + 6 * v);
        TL.Store(z2, sums + 7 * v);
        TL.Store(n2, sums + 8 * v);
        TL.Store(r3, sums + 9 * v);
        TL.Store(z3, sums + 10 * v);
        TL.Store(n3, sums + 11 * v);
    }

    // The sums of row r, block u: the gate math of a step, or stored as they are by a projection.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Finish<TL>(int r, int u, float* sums) where TL : struct, IFloatLanes<TL>
    {
        int v = TL.Count, h = hidden, j = u * v;
        if (!projection)
        {
            TL sr = TL.Load(sums), sz = TL.Load(sums + v), sn = TL.Load(sums + 2 * v);
            long at = (long)r * h + j;
            if (j + v <= h)
                Update(gates + (long)r * 3 * h + j, h, biasIh + j, biasHh + j, hPrev + at, recurrentCandidate + at, state + at, sr, sz, sn, zWeighsPrevious);
            else
                PartialBlock(r, j, sr, sz, sn);
            return;
        }
        int count = Math.Min(v, h - j);
        float* row = gates + (long)r * 3 * h + j;
        for (int gate = 0; gate < 3; gate++)
        {
            if (count == v) TL.Store(TL.Load(sums + gate * v), row + gate * h);
            else new Span<float>(sums + gate * v, count).CopyTo(new Span<float>(row + gate * h, count));
        }
    }

    // The last block when V does not divide H: the same update on scratch copies of its h − j valid lanes.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PartialBlock<TL>(int r, int j, TL sr, TL sz, TL sn) where TL : struct, IFloatLanes<TL>
    {
        int v = TL.Count, h = hidden, count = h - j;
        float* scratch = stackalloc float[12 * v];
        new Span<float>(scratch, 12 * v).Clear();
        float* gin = scratch, bi = scratch + 3 * v, bh = scratch + 6 * v, hp = scratch + 9 * v, q = hp + v, hn = q + v;
        float* row = gates + (long)r * 3 * h;
        long at = (long)r * h + j;
        for (int gate = 0; gate < 3; gate++)
        {
            new Span<float>(row + gate * h + j, count).CopyTo(new Span<float>(gin + gate * v, count));
            new Span<float>(biasIh + gate * h + j, count).CopyTo(new Span<float>(bi + gate * v, count));
            new Span<float>(biasHh + gate * h + j, count).CopyTo(new Span<float>(bh + gate * v, count));
        }
        new Span<float>(hPrev + at, count).CopyTo(new Span<float>(hp, count));
        Update(gin, v, bi, bh, hp, q, hn, sr, sz, sn, zWeighsPrevious);
        for (int gate = 0; gate < 3; gate++) new Span<float>(gin + gate * v, count).CopyTo(new Span<float>(row + gate * h + j, count));
        new Span<float>(q, count).CopyTo(new Span<float>(recurrentCandidate + at, count));
        new Span<float>(hn, count).CopyTo(new Span<float>(state + at, count));
    }

    // r, z = σ((x W_ihᵀ + b_ih) + (h W_hhᵀ + b_hh)); q = h W_hnᵀ + b_hn; n = tanh(r ⊙ q + (x W_inᵀ + b_in));
    // h_t = z ⊙ h_{t−1} + (1 − z) ⊙ n, or (1 − z) ⊙ h_{t−1} + z ⊙ n: the roundings of GateKernels' unfused step.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update<TL>(float* gin, long stride, float* bi, float* bh, float* hp, float* q, float* hn,
        TL sr, TL sz, TL sn, bool zWeighsPrevious) where TL : struct, IFloatLanes<TL>
    {
        TL r = TL.Sigmoid(TL.Add(TL.Add(TL.Load(gin), TL.Load(bi)), TL.Add(sr, TL.Load(bh))));
        TL z = TL.Sigmoid(TL.Add(TL.Add(TL.Load(gin + stride), TL.Load(bi + stride)), TL.Add(sz, TL.Load(bh + stride))));
        TL candidate = TL.Add(sn, TL.Load(bh + 2 * stride));
        TL n = TL.Tanh(TL.Add(TL.Multiply(r, candidate), TL.Add(TL.Load(gin + 2 * stride), TL.Load(bi + 2 * stride))));
        TL previous = TL.Load(hp), oneMinusZ = TL.Subtract(TL.Broadcast(1f), z);
        TL h = zWeighsPrevious
            ? TL.Add(TL.Multiply(z, previous), TL.Multiply(oneMinusZ, n))
            : TL.Add(TL.Multiply(oneMinusZ, previous), TL.Multiply(z, n));
        TL.Store(r, gin);
        TL.Store(z, gin + stride);
        TL.Store(n, gin + 2 * stride);
        TL.Store(candidate, q);
        TL.Store(h, hn);
    }
}

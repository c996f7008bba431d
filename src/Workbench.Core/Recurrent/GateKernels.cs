using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Workbench.Recurrent;

// Elementwise gate arithmetic fused into one pass over a row, with exactly the operations (and roundings) of the
// separate TensorPrimitives calls it replaces: each element's value is unchanged, only memory traffic and call
// overhead go. (The JIT never contracts a·b + c into a fused multiply-add, so every product is rounded as before.)
internal static class GateKernels
{
    // h = z ⊙ h_prev + (1 − z) ⊙ n (zWeighsPrevious) or (1 − z) ⊙ h_prev + z ⊙ n.
    public static void Blend<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> candidate, ReadOnlySpan<T> hPrev, Span<T> h, bool zWeighsPrevious)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int length = z.Length, i = 0;
        if (candidate.Length < length || hPrev.Length < length || h.Length < length) throw new ArgumentException("Gate rows differ in length.");
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ref T zr = ref MemoryMarshal.GetReference(z), cr = ref MemoryMarshal.GetReference(candidate);
            ref T pr = ref MemoryMarshal.GetReference(hPrev), hr = ref MemoryMarshal.GetReference(h);
            for (; i <= length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> vz = Vector.LoadUnsafe(ref zr, (nuint)i), vc = Vector.LoadUnsafe(ref cr, (nuint)i), vp = Vector.LoadUnsafe(ref pr, (nuint)i);
                Vector<T> oneMinusZ = Vector<T>.One - vz;
                Vector<T> result = zWeighsPrevious ? vz * vp + oneMinusZ * vc : oneMinusZ * vp + vz * vc;
                result.StoreUnsafe(ref hr, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            T oneMinusZ = T.One - z[i];
            h[i] = zWeighsPrevious ? z[i] * hPrev[i] + oneMinusZ * candidate[i] : oneMinusZ * hPrev[i] + z[i] * candidate[i];
        }
    }

    // hn ← W_hn h + b_hn (kept for the backward pass); n_pre ← r ⊙ hn + n_pre.
    public static void ResetCandidate<T>(ReadOnlySpan<T> reset, ReadOnlySpan<T> recurrent, Span<T> hn, Span<T> candidate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int length = reset.Length, i = 0;
        if (recurrent.Length < length || hn.Length < length || candidate.Length < length) throw new ArgumentException("Gate rows differ in length.");
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ref T rr = ref MemoryMarshal.GetReference(reset), qr = ref MemoryMarshal.GetReference(recurrent);
            ref T nr = ref MemoryMarshal.GetReference(hn), cr = ref MemoryMarshal.GetReference(candidate);
            for (; i <= length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> q = Vector.LoadUnsafe(ref qr, (nuint)i);
                q.StoreUnsafe(ref nr, (nuint)i);
                (Vector.LoadUnsafe(ref rr, (nuint)i) * q + Vector.LoadUnsafe(ref cr, (nuint)i)).StoreUnsafe(ref cr, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            hn[i] = recurrent[i];
            candidate[i] = reset[i] * recurrent[i] + candidate[i];
        }
    }

    // One row of the GRU (reset after) backward step, fused; the same operations in the same association as
    // GruUpdateBackward, ScaleBySigmoidDerivative and ScaleByPreviousWeight:
    //   ∂n = ∂h·w_n·(1 − n²), ∂z = ∂h·(±(h_prev − n))·((1 − z)·z), ∂r = ∂n·hn·((1 − r)·r),
    //   recurrent side (∂r, ∂z, ∂n·r), and ∂h ← ∂h·w_prev, with (w_prev, w_n) = (z, 1 − z) or (1 − z, z).
    public static void GruResetAfterBackward<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> hn,
        Span<T> dh, Span<T> gradIh, Span<T> gradHh, bool zWeighsPrevious) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int H = dh.Length, i = 0;
        if (gates.Length < 3 * H || hPrev.Length < H || hn.Length < H || gradIh.Length < 3 * H || gradHh.Length < 3 * H)
            throw new ArgumentException("Gate rows differ in length.");
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ref T g = ref MemoryMarshal.GetReference(gates), p = ref MemoryMarshal.GetReference(hPrev), q = ref MemoryMarshal.GetReference(hn);
            ref T d = ref MemoryMarshal.GetReference(dh), gi = ref MemoryMarshal.GetReference(gradIh), gh = ref MemoryMarshal.GetReference(gradHh);
            nuint h1 = (nuint)H, h2 = 2 * (nuint)H;
            for (; i <= H - Vector<T>.Count; i += Vector<T>.Count)
            {
                nuint x = (nuint)i;
                Vector<T> r = Vector.LoadUnsafe(ref g, x), z = Vector.LoadUnsafe(ref g, h1 + x), n = Vector.LoadUnsafe(ref g, h2 + x);
                Vector<T> grad = Vector.LoadUnsafe(ref d, x), previous = Vector.LoadUnsafe(ref p, x);
                Vector<T> oneMinusZ = Vector<T>.One - z;
                Vector<T> gradN = (zWeighsPrevious ? grad * oneMinusZ : grad * z) * (Vector<T>.One - n * n);
                Vector<T> gradZ = grad * (zWeighsPrevious ? previous - n : n - previous) * (oneMinusZ * z);
                Vector<T> gradR = gradN * Vector.LoadUnsafe(ref q, x) * ((Vector<T>.One - r) * r);
                gradR.StoreUnsafe(ref gi, x);
                gradZ.StoreUnsafe(ref gi, h1 + x);
                gradN.StoreUnsafe(ref gi, h2 + x);
                gradR.StoreUnsafe(ref gh, x);
                gradZ.StoreUnsafe(ref gh, h1 + x);
                (gradN * r).StoreUnsafe(ref gh, h2 + x);
                (zWeighsPrevious ? grad * z : grad * oneMinusZ).StoreUnsafe(ref d, x);
            }
        }
        for (; i < H; i++)
        {
            T r = gates[i], z = gates[H + i], n = gates[2 * H + i], grad = dh[i], previous = hPrev[i];
            T oneMinusZ = T.One - z;
            T gradN = (zWeighsPrevious ? grad * oneMinusZ : grad * z) * (T.One - n * n);
            T gradZ = grad * (zWeighsPrevious ? previous - n : n - previous) * (oneMinusZ * z);
            T gradR = gradN * hn[i] * ((T.One - r) * r);
            gradIh[i] = gradHh[i] = gradR;
            gradIh[H + i] = gradHh[H + i] = gradZ;
            gradIh[2 * H + i] = gradN;
            gradHh[2 * H + i] = gradN * r;
            dh[i] = zWeighsPrevious ? grad * z : grad * oneMinusZ;
        }
    }

    // One row of the LSTM backward step, fused; the same operations in the same association as before:
    //   ∂C += ∂h·((1 − tanh²C)·o), ∂o = (∂h·tanh C)·((1 − o)·o), ∂i = (∂C·g)·((1 − i)·i), ∂f = (∂C·C_prev)·((1 − f)·f),
    //   ∂g = (∂C·i)·(1 − g²), and ∂C_prev = ∂C·f.
    public static void LstmBackward<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> tanhCell, ReadOnlySpan<T> cellPrev,
        ReadOnlySpan<T> dh, Span<T> dc, Span<T> gradPre) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int H = dh.Length, i = 0;
        if (gates.Length < 4 * H || tanhCell.Length < H || cellPrev.Length < H || dc.Length < H || gradPre.Length < 4 * H)
            throw new ArgumentException("Gate rows differ in length.");
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ref T a = ref MemoryMarshal.GetReference(gates), tc = ref MemoryMarshal.GetReference(tanhCell), cp = ref MemoryMarshal.GetReference(cellPrev);
            ref T d = ref MemoryMarshal.GetReference(dh), c = ref MemoryMarshal.GetReference(dc), gp = ref MemoryMarshal.GetReference(gradPre);
            nuint h1 = (nuint)H, h2 = 2 * (nuint)H, h3 = 3 * (nuint)H;
            for (; i <= H - Vector<T>.Count; i += Vector<T>.Count)
            {
                nuint x = (nuint)i;
                Vector<T> ig = Vector.LoadUnsafe(ref a, x), fg = Vector.LoadUnsafe(ref a, h1 + x);
                Vector<T> gg = Vector.LoadUnsafe(ref a, h2 + x), og = Vector.LoadUnsafe(ref a, h3 + x);
                Vector<T> t = Vector.LoadUnsafe(ref tc, x), grad = Vector.LoadUnsafe(ref d, x);
                Vector<T> gradC = grad * ((Vector<T>.One - t * t) * og) + Vector.LoadUnsafe(ref c, x);
                (grad * t * ((Vector<T>.One - og) * og)).StoreUnsafe(ref gp, h3 + x);
                (gradC * gg * ((Vector<T>.One - ig) * ig)).StoreUnsafe(ref gp, x);
                (gradC * Vector.LoadUnsafe(ref cp, x) * ((Vector<T>.One - fg) * fg)).StoreUnsafe(ref gp, h1 + x);
                (gradC * ig * (Vector<T>.One - gg * gg)).StoreUnsafe(ref gp, h2 + x);
                (gradC * fg).StoreUnsafe(ref c, x);
            }
        }
        for (; i < H; i++)
        {
            T ig = gates[i], fg = gates[H + i], gg = gates[2 * H + i], og = gates[3 * H + i], t = tanhCell[i], grad = dh[i];
            T gradC = grad * ((T.One - t * t) * og) + dc[i];
            gradPre[3 * H + i] = grad * t * ((T.One - og) * og);
            gradPre[i] = gradC * gg * ((T.One - ig) * ig);
            gradPre[H + i] = gradC * cellPrev[i] * ((T.One - fg) * fg);
            gradPre[2 * H + i] = gradC * ig * (T.One - gg * gg);
            dc[i] = gradC * fg;
        }
    }
}

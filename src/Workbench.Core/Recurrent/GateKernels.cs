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
}

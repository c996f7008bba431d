using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Workbench.Numerics;

/// <summary>
/// Packs a transposed panel, dst[p·nr + j] = src[j·ld + p] for j &lt; cols, p &lt; kc, with 8×8 (float) or 4×4 (double)
/// in-register transposes: packing the transposed W_hh of a recurrent step is otherwise a scalar gather that costs
/// as much as a third of the product at batch 64.
/// </summary>
internal static unsafe class PackTranspose
{
    /// <summary>Transposes what it can with AVX and returns false when the caller must do it all with scalars.</summary>
    public static bool TryPack<T>(T* dst, int nr, T* src, long ld, int cols, int kc) where T : unmanaged
    {
        if (!Avx.IsSupported) return false;
        if (typeof(T) == typeof(float)) PackFloat((float*)dst, nr, (float*)src, ld, cols, kc);
        else if (typeof(T) == typeof(double)) PackDouble((double*)dst, nr, (double*)src, ld, cols, kc);
        else return false;
        return true;
    }

    private static void PackFloat(float* dst, int nr, float* src, long ld, int cols, int kc)
    {
        int j = 0;
        for (; j + 8 <= cols; j += 8)
        {
            float* s = src + j * ld;
            int p = 0;
            for (; p + 8 <= kc; p += 8) Transpose8x8(s + p, ld, dst + (long)p * nr + j, nr);
            for (; p < kc; p++)
                for (int q = 0; q < 8; q++) dst[(long)p * nr + j + q] = s[q * ld + p];
        }
        for (; j < cols; j++)
        {
            float* column = src + j * ld;
            for (int p = 0; p < kc; p++) dst[(long)p * nr + j] = column[p];
        }
    }

    private static void PackDouble(double* dst, int nr, double* src, long ld, int cols, int kc)
    {
        int j = 0;
        for (; j + 4 <= cols; j += 4)
        {
            double* s = src + j * ld;
            int p = 0;
            for (; p + 4 <= kc; p += 4) Transpose4x4(s + p, ld, dst + (long)p * nr + j, nr);
            for (; p < kc; p++)
                for (int q = 0; q < 4; q++) dst[(long)p * nr + j + q] = s[q * ld + p];
        }
        for (; j < cols; j++)
        {
            double* column = src + j * ld;
            for (int p = 0; p < kc; p++) dst[(long)p * nr + j] = column[p];
        }
    }

    /// <summary>Rows r0..r7 (stride ld) become the 8 columns written at stride nr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, long ld, float* d, int nr)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ld), r2 = Avx.LoadVector256(s + 2 * ld), r3 = Avx.LoadVector256(s + 3 * ld);
        Vector256<float> r4 = Avx.LoadVector256(s + 4 * ld), r5 = Avx.LoadVector256(s + 5 * ld), r6 = Avx.LoadVector256(s + 6 * ld), r7 = Avx.LoadVector256(s + 7 * ld);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + nr, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * nr, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * nr, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * nr, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * nr, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * nr, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * nr, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>Rows r0..r3 (stride ld) become the 4 columns written at stride nr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(double* s, long ld, double* d, int nr)
    {
        Vector256<double> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ld), r2 = Avx.LoadVector256(s + 2 * ld), r3 = Avx.LoadVector256(s + 3 * ld);
        Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(d + nr, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(d + 2 * nr, Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(d + 3 * nr, Avx.Permute2x128(t1, t3, 0x31));
    }
}

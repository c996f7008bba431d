using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Workbench.Numerics;

/// <summary>
/// Register-blocked micro-kernels: each multiplies a packed A micro-panel (kc×MR, MR values per k step) by a packed
/// B micro-panel (kc×NR, NR values per k step) and adds α times the tile to C (C ← C + α·acc, never fused, so a
/// tile computed through a scratch copy has exactly the same bits).
/// </summary>
internal static unsafe class GemmMicroKernels
{
    /// <summary>8×(2·Vector512 width) tile with AVX-512: 16 accumulators of the 32 zmm registers.</summary>
    public static void Kernel512<T>(int kc, T* pa, T* pb, T* c, int ldc, T alpha) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Tile<Ops512<T>, T>(kc, pa, pb, c, ldc, alpha);

    /// <summary>6×(2·Vector256 width) tile with AVX2+FMA: 12 accumulators of the 16 ymm registers.</summary>
    public static void Kernel256<T>(int kc, T* pa, T* pb, T* c, int ldc, T alpha) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Tile<Ops256<T>, T>(kc, pa, pb, c, ldc, alpha);

    /// <summary>4×(2·Vector&lt;T&gt; width) tile: the portable fallback (e.g. 128-bit NEON).</summary>
    public static void KernelVector<T>(int kc, T* pa, T* pb, T* c, int ldc, T alpha) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Tile<OpsVector<T>, T>(kc, pa, pb, c, ldc, alpha);

    /// <summary>
    /// The tile of <typeparamref name="TOps"/>: <c>TOps.TileRows</c> rows (8, 6 or 4, as many as the width's
    /// registers hold two accumulators each) × 2 vectors. TileRows is a constant of each struct, so the JIT compiles
    /// one straight-line kernel per width with the unused rows removed; every accumulator sees the same fused
    /// multiply-adds in the same order whatever the width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TOps, T>(int kc, T* pa, T* pb, T* c, int ldc, T alpha)
        where TOps : struct, IDotOps<TOps, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int v = TOps.Count, rows = TOps.TileRows;
        TOps c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        TOps c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            TOps b0 = TOps.Load(pb), b1 = TOps.Load(pb + v);
            { var a = TOps.Broadcast(pa[0]); c00 = TOps.Fma(a, b0, c00); c01 = TOps.Fma(a, b1, c01); }
            { var a = TOps.Broadcast(pa[1]); c10 = TOps.Fma(a, b0, c10); c11 = TOps.Fma(a, b1, c11); }
            { var a = TOps.Broadcast(pa[2]); c20 = TOps.Fma(a, b0, c20); c21 = TOps.Fma(a, b1, c21); }
            { var a = TOps.Broadcast(pa[3]); c30 = TOps.Fma(a, b0, c30); c31 = TOps.Fma(a, b1, c31); }
            if (rows > 4)
            {
                { var a = TOps.Broadcast(pa[4]); c40 = TOps.Fma(a, b0, c40); c41 = TOps.Fma(a, b1, c41); }
                { var a = TOps.Broadcast(pa[5]); c50 = TOps.Fma(a, b0, c50); c51 = TOps.Fma(a, b1, c51); }
            }
            if (rows > 6)
            {
                { var a = TOps.Broadcast(pa[6]); c60 = TOps.Fma(a, b0, c60); c61 = TOps.Fma(a, b1, c61); }
                { var a = TOps.Broadcast(pa[7]); c70 = TOps.Fma(a, b0, c70); c71 = TOps.Fma(a, b1, c71); }
            }
            pa += rows;
            pb += 2 * v;
        }
        var al = TOps.Broadcast(alpha);
        Update(c + 0 * ldc, c00, c01, al, v);
        Update(c + 1 * ldc, c10, c11, al, v);
        Update(c + 2 * ldc, c20, c21, al, v);
        Update(c + 3 * ldc, c30, c31, al, v);
        if (rows > 4)
        {
            Update(c + 4 * ldc, c40, c41, al, v);
            Update(c + 5 * ldc, c50, c51, al, v);
        }
        if (rows > 6)
        {
            Update(c + 6 * ldc, c60, c61, al, v);
            Update(c + 7 * ldc, c70, c71, al, v);
        }
    }

    // C ← C + α·x, two vectors of a row; the product is rounded before the sum (never fused), as the class says.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update<TOps, T>(T* c, TOps x0, TOps x1, TOps alpha, int v)
        where TOps : struct, IDotOps<TOps, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TOps.Store(TOps.Add(TOps.Load(c), TOps.Multiply(alpha, x0)), c);
        TOps.Store(TOps.Add(TOps.Load(c + v), TOps.Multiply(alpha, x1)), c + v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> Fma512<T>(Vector512<T> a, Vector512<T> b, Vector512<T> addend) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Fma256<T>(Vector256<T> a, Vector256<T> b, Vector256<T> addend) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    /// <summary>a·b + addend for Vector&lt;T&gt;: fused where the hardware has it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<T> FmaVector<T>(Vector<T> a, Vector<T> b, Vector<T> addend) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!(Fma.IsSupported || AdvSimd.IsSupported)) return a * b + addend;
        if (typeof(T) == typeof(float)) return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), addend.As<T, float>()).As<float, T>();
        return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), addend.As<T, double>()).As<double, T>();
    }
}

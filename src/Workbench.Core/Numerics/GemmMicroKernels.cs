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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel512<T>(int kc, T* pa, T* pb, T* c, int ldc, T alpha) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int v = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(pb), b1 = Vector512.Load(pb + v);
            { var a = Vector512.Create(pa[0]); c00 = Fma512(a, b0, c00); c01 = Fma512(a, b1, c01); }
            { var a = Vector512.Create(pa[1]); c10 = Fma512(a, b0, c10); c11 = Fma512(a, b1, c11); }
            { var a = Vector512.Create(pa[2]); c20 = Fma512(a, b0, c20); c21 = Fma512(a, b1, c21); }
            { var a = Vector512.Create(pa[3]); c30 = Fma512(a, b0, c30); c31 = Fma512(a, b1, c31); }
            { var a = Vector512.Create(pa[4]); c40 = Fma512(a, b0, c40); c41 = Fma512(a, b1, c41); }
            { var a = Vector512.Create(pa[5]); c50 = Fma512(a, b0, c50); c51 = Fma512(a, b1, c51); }
            { var a = Vector512.Create(pa[6]); c60 = Fma512(a, b0, c60); c61 = Fma512(a, b1, c61); }
            { var a = Vector512.Create(pa[7]); c70 = Fma512(a, b0, c70); c71 = Fma512(a, b1, c71); }
            pa += 8;
            pb += 2 * v;
        }
        var al = Vector512.Create(alpha);
        Update512(c + 0 * ldc, c00, c01, al, v);
        Update512(c + 1 * ldc, c10, c11, al, v);
        Update512(c + 2 * ldc, c20, c21, al, v);
        Update512(c + 3 * ldc, c30, c31, al, v);
        Update512(c + 4 * ldc, c40, c41, al, v);
        Update512(c + 5 * ldc, c50, c51, al, v);
        Update512(c + 6 * ldc, c60, c61, al, v);
        Update512(c + 7 * ldc, c70, c71, al, v);
    }

    /// <summary>6×(2·Vector256 width) tile with AVX2+FMA: 12 accumulators of the 16 ymm registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel256<T>(int kc, T* pa, T* pb, T* c, int ldc, T alpha) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int v = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<T> b0 = Vector256.Load(pb), b1 = Vector256.Load(pb + v);
            { var a = Vector256.Create(pa[0]); c00 = Fma256(a, b0, c00); c01 = Fma256(a, b1, c01); }
            { var a = Vector256.Create(pa[1]); c10 = Fma256(a, b0, c10); c11 = Fma256(a, b1, c11); }
            { var a = Vector256.Create(pa[2]); c20 = Fma256(a, b0, c20); c21 = Fma256(a, b1, c21); }
            { var a = Vector256.Create(pa[3]); c30 = Fma256(a, b0, c30); c31 = Fma256(a, b1, c31); }
            { var a = Vector256.Create(pa[4]); c40 = Fma256(a, b0, c40); c41 = Fma256(a, b1, c41); }
            { var a = Vector256.Create(pa[5]); c50 = Fma256(a, b0, c50); c51 = Fma256(a, b1, c51); }
            pa += 6;
            pb += 2 * v;
        }
        var al = Vector256.Create(alpha);
        Update256(c + 0 * ldc, c00, c01, al, v);
        Update256(c + 1 * ldc, c10, c11, al, v);
        Update256(c + 2 * ldc, c20, c21, al, v);
        Update256(c + 3 * ldc, c30, c31, al, v);
        Update256(c + 4 * ldc, c40, c41, al, v);
        Update256(c + 5 * ldc, c50, c51, al, v);
    }

    /// <summary>4×(2·Vector&lt;T&gt; width) tile: the portable fallback (e.g. 128-bit NEON).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void KernelVector<T>(int kc, T* pa, T* pb, T* c, int ldc, T alpha) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int v = Vector<T>.Count;
        Vector<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector<T> b0 = Vector.Load(pb), b1 = Vector.Load(pb + v);
            { var a = new Vector<T>(pa[0]); c00 = FmaVector(a, b0, c00); c01 = FmaVector(a, b1, c01); }
            { var a = new Vector<T>(pa[1]); c10 = FmaVector(a, b0, c10); c11 = FmaVector(a, b1, c11); }
            { var a = new Vector<T>(pa[2]); c20 = FmaVector(a, b0, c20); c21 = FmaVector(a, b1, c21); }
            { var a = new Vector<T>(pa[3]); c30 = FmaVector(a, b0, c30); c31 = FmaVector(a, b1, c31); }
            pa += 4;
            pb += 2 * v;
        }
        var al = new Vector<T>(alpha);
        UpdateVector(c + 0 * ldc, c00, c01, al, v);
        UpdateVector(c + 1 * ldc, c10, c11, al, v);
        UpdateVector(c + 2 * ldc, c20, c21, al, v);
        UpdateVector(c + 3 * ldc, c30, c31, al, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update512<T>(T* c, Vector512<T> x0, Vector512<T> x1, Vector512<T> alpha, int v) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector512.Store(Vector512.Load(c) + alpha * x0, c);
        Vector512.Store(Vector512.Load(c + v) + alpha * x1, c + v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update256<T>(T* c, Vector256<T> x0, Vector256<T> x1, Vector256<T> alpha, int v) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector256.Store(Vector256.Load(c) + alpha * x0, c);
        Vector256.Store(Vector256.Load(c + v) + alpha * x1, c + v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateVector<T>(T* c, Vector<T> x0, Vector<T> x1, Vector<T> alpha, int v) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector.Store(Vector.Load(c) + alpha * x0, c);
        Vector.Store(Vector.Load(c + v) + alpha * x1, c + v);
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

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Workbench.Recurrent;

/// <summary>
/// One SIMD width of float lanes for the fused recurrent steps: the product's fused multiply-add and the gate
/// activations, compiled once per width (the structs are type arguments, so every call inlines).
/// </summary>
internal unsafe interface IFloatLanes<TSelf> where TSelf : struct, IFloatLanes<TSelf>
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Batch rows per register tile: 4 gates × Rows accumulators must leave registers for the operands.</summary>
    static abstract int Rows { get; }

    static abstract TSelf Load(float* source);

    static abstract void Store(TSelf value, float* destination);

    static abstract TSelf Broadcast(float value);

    /// <summary>x·y + addend, one rounding.</summary>
    static abstract TSelf Fma(TSelf x, TSelf y, TSelf addend);

    static abstract TSelf Add(TSelf x, TSelf y);

    static abstract TSelf Subtract(TSelf x, TSelf y);

    static abstract TSelf Multiply(TSelf x, TSelf y);

    /// <summary>σ(x) = 1 / (1 + e^−x).</summary>
    static abstract TSelf Sigmoid(TSelf x);

    /// <summary>tanh x = sign(x)·(1 − e^−2|x|) / (1 + e^−2|x|): no overflow, absolute error a few 1e-8.</summary>
    static abstract TSelf Tanh(TSelf x);
}

/// <summary>
/// e^x for float lanes, shared by both widths: n = round(x·log₂e), r = x − n·ln 2 (in two parts, so r is exact to
/// float precision), e^r by its Taylor series to r⁷ (|r| ≤ ln2/2: truncation below 1e-8 relative), times 2ⁿ
/// through the exponent bits. x is clamped to [−87.3, 88.3], where 2ⁿ stays a normal float; beyond, the
/// activations built on it are already 0 or 1 to float precision.
/// </summary>
internal static class FloatExp
{
    public const float Low = -87.3f, High = 88.3f, Log2E = 1.44269504f, Ln2High = 0.693145751953125f, Ln2Low = 1.42860677e-6f;

    // 1.5·2²³: adding it rounds a float of magnitude < 2²² to an integer, which lands in the low mantissa bits.
    public const float RoundingShift = 12582912f;

    public const float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;
}

/// <summary>AVX-512: 16 floats, 4 × 4 accumulators of the 32 zmm registers.</summary>
internal readonly unsafe struct FloatLanes512(Vector512<float> value) : IFloatLanes<FloatLanes512>
{
    private readonly Vector512<float> value = value;

    public static int Count => 16;

    public static int Rows => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes512 Load(float* source) => new(Vector512.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(FloatLanes512 v, float* destination) => Vector512.Store(v.value, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes512 Broadcast(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes512 Fma(FloatLanes512 x, FloatLanes512 y, FloatLanes512 addend) => new(Vector512.FusedMultiplyAdd(x.value, y.value, addend.value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes512 Add(FloatLanes512 x, FloatLanes512 y) => new(x.value + y.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes512 Subtract(FloatLanes512 x, FloatLanes512 y) => new(x.value - y.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes512 Multiply(FloatLanes512 x, FloatLanes512 y) => new(x.value * y.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes512 Sigmoid(FloatLanes512 x) => new(Vector512<float>.One / (Vector512<float>.One + Exp(-x.value)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes512 Tanh(FloatLanes512 x)
    {
        Vector512<float> e = Exp(Vector512.Create(-2f) * Vector512.Abs(x.value));
        Vector512<float> t = (Vector512<float>.One - e) / (Vector512<float>.One + e);
        return new(Vector512.CopySign(t, x.value));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(FloatExp.Low)), Vector512.Create(FloatExp.High));
        Vector512<float> shifted = Vector512.FusedMultiplyAdd(x, Vector512.Create(FloatExp.Log2E), Vector512.Create(FloatExp.RoundingShift));
        Vector512<float> n = shifted - Vector512.Create(FloatExp.RoundingShift);
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-FloatExp.Ln2High), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-FloatExp.Ln2Low), r);
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(FloatExp.C7), r, Vector512.Create(FloatExp.C6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(FloatExp.C5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(FloatExp.C4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(FloatExp.C3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(FloatExp.C2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        Vector512<int> scale = Vector512.ShiftLeft(shifted.AsInt32() - Vector512.Create(FloatExp.RoundingShift).AsInt32() + Vector512.Create(127), 23);
        return p * scale.AsSingle();
    }
}

/// <summary>AVX2 + FMA: 8 floats, 4 × 2 accumulators of the 16 ymm registers.</summary>
internal readonly unsafe struct FloatLanes256(Vector256<float> value) : IFloatLanes<FloatLanes256>
{
    private readonly Vector256<float> value = value;

    public static int Count => 8;

    public static int Rows => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes256 Load(float* source) => new(Vector256.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(FloatLanes256 v, float* destination) => Vector256.Store(v.value, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes256 Broadcast(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes256 Fma(FloatLanes256 x, FloatLanes256 y, FloatLanes256 addend) => new(Vector256.FusedMultiplyAdd(x.value, y.value, addend.value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes256 Add(FloatLanes256 x, FloatLanes256 y) => new(x.value + y.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes256 Subtract(FloatLanes256 x, FloatLanes256 y) => new(x.value - y.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes256 Multiply(FloatLanes256 x, FloatLanes256 y) => new(x.value * y.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes256 Sigmoid(FloatLanes256 x) => new(Vector256<float>.One / (Vector256<float>.One + Exp(-x.value)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatLanes256 Tanh(FloatLanes256 x)
    {
        Vector256<float> e = Exp(Vector256.Create(-2f) * Vector256.Abs(x.value));
        Vector256<float> t = (Vector256<float>.One - e) / (Vector256<float>.One + e);
        return new(Vector256.CopySign(t, x.value));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(FloatExp.Low)), Vector256.Create(FloatExp.High));
        Vector256<float> shifted = Vector256.FusedMultiplyAdd(x, Vector256.Create(FloatExp.Log2E), Vector256.Create(FloatExp.RoundingShift));
        Vector256<float> n = shifted - Vector256.Create(FloatExp.RoundingShift);
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-FloatExp.Ln2High), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-FloatExp.Ln2Low), r);
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(FloatExp.C7), r, Vector256.Create(FloatExp.C6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(FloatExp.C5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(FloatExp.C4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(FloatExp.C3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(FloatExp.C2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        Vector256<int> scale = Vector256.ShiftLeft(shifted.AsInt32() - Vector256.Create(FloatExp.RoundingShift).AsInt32() + Vector256.Create(127), 23);
        return p * scale.AsSingle();
    }
}

/// <summary>The fused steps' σ and tanh over whole arrays, at a chosen width (for the accuracy tests).</summary>
internal static unsafe class FloatActivations
{
    /// <summary>σ(x) and tanh(x) for every x; the length must be a multiple of the width's vector.</summary>
    public static void Apply(FusedLanes lanes, ReadOnlySpan<float> x, Span<float> sigmoid, Span<float> tanh)
    {
        if (lanes == FusedLanes.Vector512) Apply<FloatLanes512>(x, sigmoid, tanh);
        else if (lanes == FusedLanes.Vector256) Apply<FloatLanes256>(x, sigmoid, tanh);
        else throw new ArgumentException("FloatActivations needs a SIMD width.", nameof(lanes));
    }

    private static void Apply<TL>(ReadOnlySpan<float> x, Span<float> sigmoid, Span<float> tanh) where TL : struct, IFloatLanes<TL>
    {
        if (x.Length % TL.Count != 0 || sigmoid.Length < x.Length || tanh.Length < x.Length)
            throw new ArgumentException($"FloatActivations: {x.Length} inputs are not whole vectors of {TL.Count}, or an output is shorter.");
        fixed (float* px = x, ps = sigmoid, pt = tanh)
            for (int i = 0; i < x.Length; i += TL.Count)
            {
                TL.Store(TL.Sigmoid(TL.Load(px + i)), ps + i);
                TL.Store(TL.Tanh(TL.Load(px + i)), pt + i);
            }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Workbench.Embeddings;

/// <summary>
/// The vector arithmetic of one word2vec update on raw rows: a·b, the fused error/row update, x += y and x /= c.
/// The public-to-the-assembly entry points pick the widest vectors the CPU runs natively (512, 256 or 128 bits, else
/// scalar); each width is also callable on its own so that tests compare every path with the scalar one. The
/// element-wise kernels give bit-identical results on every path (plain multiply and add, no fused multiply-add);
/// <see cref="Dot"/> differs from <see cref="DotScalar"/> only by summation order.
/// </summary>
internal static unsafe class Word2VecKernels
{
    /// <summary>Σ a[i]·b[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* a, float* b, int n) =>
        Vector512.IsHardwareAccelerated ? Dot512(a, b, n)
        : Vector256.IsHardwareAccelerated ? Dot256(a, b, n)
        : Vector128.IsHardwareAccelerated ? Dot128(a, b, n)
        : DotScalar(a, b, n);

    /// <summary>error += g·row (the old row), then row += g·input: gensim's two saxpy calls in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Update(float* row, float* input, float* error, float g, int n)
    {
        if (Vector512.IsHardwareAccelerated) Update512(row, input, error, g, n);
        else if (Vector256.IsHardwareAccelerated) Update256(row, input, error, g, n);
        else if (Vector128.IsHardwareAccelerated) Update128(row, input, error, g, n);
        else UpdateScalar(row, input, error, g, n);
    }

    /// <summary>x += y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(float* x, float* y, int n)
    {
        if (Vector512.IsHardwareAccelerated) Add512(x, y, n);
        else if (Vector256.IsHardwareAccelerated) Add256(x, y, n);
        else if (Vector128.IsHardwareAccelerated) Add128(x, y, n);
        else AddScalar(x, y, n);
    }

    /// <summary>x /= c (a true division, as the scalar code, not a multiplication by 1/c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Divide(float* x, float c, int n)
    {
        if (Vector512.IsHardwareAccelerated) Divide512(x, c, n);
        else if (Vector256.IsHardwareAccelerated) Divide256(x, c, n);
        else if (Vector128.IsHardwareAccelerated) Divide128(x, c, n);
        else DivideScalar(x, c, n);
    }

    // Dot: one accumulator per width, narrower steps for the tail (100 = 6·16 + 4 takes seven vector steps).
    public static float DotScalar(float* a, float* b, int n)
    {
        float sum = 0;
        for (int i = 0; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    public static float Dot128(float* a, float* b, int n)
    {
        int i = 0;
        var acc = Vector128<float>.Zero;
        for (; i <= n - 4; i += 4) acc += Vector128.Load(a + i) * Vector128.Load(b + i);
        float sum = Vector128.Sum(acc);
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    public static float Dot256(float* a, float* b, int n)
    {
        int i = 0;
        var acc = Vector256<float>.Zero;
        for (; i <= n - 8; i += 8) acc += Vector256.Load(a + i) * Vector256.Load(b + i);
        var acc128 = acc.GetLower() + acc.GetUpper();
        if (i <= n - 4) { acc128 += Vector128.Load(a + i) * Vector128.Load(b + i); i += 4; }
        float sum = Vector128.Sum(acc128);
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    public static float Dot512(float* a, float* b, int n)
    {
        int i = 0;
        var acc = Vector512<float>.Zero;
        for (; i <= n - 16; i += 16) acc += Vector512.Load(a + i) * Vector512.Load(b + i);
        var acc256 = acc.GetLower() + acc.GetUpper();
        if (i <= n - 8) { acc256 += Vector256.Load(a + i) * Vector256.Load(b + i); i += 8; }
        var acc128 = acc256.GetLower() + acc256.GetUpper();
        if (i <= n - 4) { acc128 += Vector128.Load(a + i) * Vector128.Load(b + i); i += 4; }
        float sum = Vector128.Sum(acc128);
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    public static void UpdateScalar(float* row, float* input, float* error, float g, int n) => UpdateTail(row, input, error, g, 0, n);

    public static void Update128(float* row, float* input, float* error, float g, int n)
    {
        int i = 0;
        var vg = Vector128.Create(g);
        for (; i <= n - 4; i += 4)
        {
            var r = Vector128.Load(row + i);
            Vector128.Store(Vector128.Load(error + i) + vg * r, error + i);
            Vector128.Store(r + vg * Vector128.Load(input + i), row + i);
        }
        UpdateTail(row, input, error, g, i, n);
    }

    public static void Update256(float* row, float* input, float* error, float g, int n)
    {
        int i = 0;
        var vg = Vector256.Create(g);
        for (; i <= n - 8; i += 8)
        {
            var r = Vector256.Load(row + i);
            Vector256.Store(Vector256.Load(error + i) + vg * r, error + i);
            Vector256.Store(r + vg * Vector256.Load(input + i), row + i);
        }
        if (i <= n - 4)
        {
            var vg4 = Vector128.Create(g);
            var r = Vector128.Load(row + i);
            Vector128.Store(Vector128.Load(error + i) + vg4 * r, error + i);
            Vector128.Store(r + vg4 * Vector128.Load(input + i), row + i);
            i += 4;
        }
        UpdateTail(row, input, error, g, i, n);
    }

    public static void Update512(float* row, float* input, float* error, float g, int n)
    {
        int i = 0;
        var vg = Vector512.Create(g);
        for (; i <= n - 16; i += 16)
        {
            var r = Vector512.Load(row + i);
            Vector512.Store(Vector512.Load(error + i) + vg * r, error + i);
            Vector512.Store(r + vg * Vector512.Load(input + i), row + i);
        }
        if (i <= n - 8)
        {
            var vg8 = Vector256.Create(g);
            var r = Vector256.Load(row + i);
            Vector256.Store(Vector256.Load(error + i) + vg8 * r, error + i);
            Vector256.Store(r + vg8 * Vector256.Load(input + i), row + i);
            i += 8;
        }
        if (i <= n - 4)
        {
            var vg4 = Vector128.Create(g);
            var r = Vector128.Load(row + i);
            Vector128.Store(Vector128.Load(error + i) + vg4 * r, error + i);
            Vector128.Store(r + vg4 * Vector128.Load(input + i), row + i);
            i += 4;
        }
        UpdateTail(row, input, error, g, i, n);
    }

    private static void UpdateTail(float* row, float* input, float* error, float g, int i, int n)
    {
        for (; i < n; i++)
        {
            float r = row[i];
            error[i] += g * r;
            row[i] = r + g * input[i];
        }
    }

    public static void AddScalar(float* x, float* y, int n)
    {
        for (int i = 0; i < n; i++) x[i] += y[i];
    }

    public static void Add128(float* x, float* y, int n)
    {
        int i = 0;
        for (; i <= n - 4; i += 4) Vector128.Store(Vector128.Load(x + i) + Vector128.Load(y + i), x + i);
        for (; i < n; i++) x[i] += y[i];
    }

    public static void Add256(float* x, float* y, int n)
    {
        int i = 0;
        for (; i <= n - 8; i += 8) Vector256.Store(Vector256.Load(x + i) + Vector256.Load(y + i), x + i);
        if (i <= n - 4) { Vector128.Store(Vector128.Load(x + i) + Vector128.Load(y + i), x + i); i += 4; }
        for (; i < n; i++) x[i] += y[i];
    }

    public static void Add512(float* x, float* y, int n)
    {
        int i = 0;
        for (; i <= n - 16; i += 16) Vector512.Store(Vector512.Load(x + i) + Vector512.Load(y + i), x + i);
        if (i <= n - 8) { Vector256.Store(Vector256.Load(x + i) + Vector256.Load(y + i), x + i); i += 8; }
        if (i <= n - 4) { Vector128.Store(Vector128.Load(x + i) + Vector128.Load(y + i), x + i); i += 4; }
        for (; i < n; i++) x[i] += y[i];
    }

    public static void DivideScalar(float* x, float c, int n)
    {
        for (int i = 0; i < n; i++) x[i] /= c;
    }

    public static void Divide128(float* x, float c, int n)
    {
        int i = 0;
        var vc = Vector128.Create(c);
        for (; i <= n - 4; i += 4) Vector128.Store(Vector128.Load(x + i) / vc, x + i);
        for (; i < n; i++) x[i] /= c;
    }

    public static void Divide256(float* x, float c, int n)
    {
        int i = 0;
        var vc = Vector256.Create(c);
        for (; i <= n - 8; i += 8) Vector256.Store(Vector256.Load(x + i) / vc, x + i);
        for (; i < n; i++) x[i] /= c;
    }

    public static void Divide512(float* x, float c, int n)
    {
        int i = 0;
        var vc = Vector512.Create(c);
        for (; i <= n - 16; i += 16) Vector512.Store(Vector512.Load(x + i) / vc, x + i);
        for (; i < n; i++) x[i] /= c;
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Workbench.Numerics;

/// <summary>
/// C ← C + α·A·Bᵀ for few rows of C, without packing: both A's rows and B's rows are contiguous over k, so 4×4
/// blocks of C are dot products vectorized over k. This is the recurrent step h·W_hhᵀ at small batch: packing the
/// transposed W_hh (n·k elements) cannot pay off over m ≤ 16 rows, while streaming it once can.
/// </summary>
/// <remarks>
/// Every element is computed the same way wherever it sits (full block or edge): lane-wise partial sums over k,
/// the vector's horizontal sum, then the scalar tail of k in order. The split between threads is over columns only.
/// </remarks>
internal static unsafe class DotGemm
{
    /// <summary>Largest m for which the dot path is used (measured: from m = 32 on, packing B is as fast or faster).</summary>
    internal const int MaxRows = 16;

    /// <summary>Columns per thread strip (a multiple of the 4-column block).</summary>
    private const int ColumnUnit = 16;

    /// <summary>C ← C + α·A·Bᵀ (β already applied to C), A m×k and B n×k, both row-major.</summary>
    public static void Multiply<T>(int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T* c, int ldc, int threads, GemmKernel kernel)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var partition = new CPartition(m, n, k, 1, ColumnUnit, threads, axis: 1);
        Job<T> job = Job<T>.ForThisThread();
        job.Set(partition, m, k, alpha, a, lda, b, ldb, c, ldc, kernel);
        job.RunParts();
    }

    private sealed class Job<T> : PartitionedJob<Job<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private int m, k, lda, ldb, ldc;
        private T alpha;
        private GemmKernel kernel;

        public void Set(CPartition partition, int m, int k, T alpha, T* a, int lda, T* b, int ldb, T* c, int ldc, GemmKernel kernel)
        {
            this.partition = partition;
            (this.m, this.k, this.alpha, this.lda, this.ldb, this.ldc, this.kernel) = (m, k, alpha, lda, ldb, ldc, kernel);
            this.a = a;
            this.b = b;
            this.c = c;
        }

        public override void Run(int part)
        {
            var (_, _, j0, j1) = partition.Region(part);
            if (j0 >= j1) return;
            switch (kernel)
            {
                case GemmKernel.Vector512: Columns<Ops512<T>>(j0, j1); break;
                case GemmKernel.Vector256: Columns<Ops256<T>>(j0, j1); break;
                default: Columns<OpsVector<T>>(j0, j1); break;
            }
        }

        private void Columns<TOps>(int j0, int j1) where TOps : struct, IDotOps<TOps, T>
        {
            int j = j0;
            for (; j + 4 <= j1; j += 4)
            {
                int i = 0;
                for (; i + 4 <= m; i += 4) Block4x4<TOps>(i, j);
                for (; i < m; i++) Block1x4<TOps>(i, j);
            }
            for (; j < j1; j++)
                for (int i = 0; i < m; i++) Single<TOps>(i, j);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Block4x4<TOps>(int i, int j) where TOps : struct, IDotOps<TOps, T>
        {
            T* a0 = a + (long)i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
            T* b0 = b + (long)j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
            TOps s00 = default, s01 = default, s02 = default, s03 = default;
            TOps s10 = default, s11 = default, s12 = default, s13 = default;
            TOps s20 = default, s21 = default, s22 = default, s23 = default;
            TOps s30 = default, s31 = default, s32 = default, s33 = default;
            int v = TOps.Count, p = 0;
            for (; p + v <= k; p += v)
            {
                TOps y0 = TOps.Load(b0 + p), y1 = TOps.Load(b1 + p), y2 = TOps.Load(b2 + p), y3 = TOps.Load(b3 + p);
                TOps x = TOps.Load(a0 + p);
                s00 = TOps.Fma(x, y0, s00); s01 = TOps.Fma(x, y1, s01); s02 = TOps.Fma(x, y2, s02); s03 = TOps.Fma(x, y3, s03);
                x = TOps.Load(a1 + p);
                s10 = TOps.Fma(x, y0, s10); s11 = TOps.Fma(x, y1, s11); s12 = TOps.Fma(x, y2, s12); s13 = TOps.Fma(x, y3, s13);
                x = TOps.Load(a2 + p);
                s20 = TOps.Fma(x, y0, s20); s21 = TOps.Fma(x, y1, s21); s22 = TOps.Fma(x, y2, s22); s23 = TOps.Fma(x, y3, s23);
                x = TOps.Load(a3 + p);
                s30 = TOps.Fma(x, y0, s30); s31 = TOps.Fma(x, y1, s31); s32 = TOps.Fma(x, y2, s32); s33 = TOps.Fma(x, y3, s33);
            }
            T* c0 = c + (long)i * ldc + j;
            Finish(c0, a0, b0, b1, b2, b3, p, s00, s01, s02, s03);
            Finish(c0 + ldc, a1, b0, b1, b2, b3, p, s10, s11, s12, s13);
            Finish(c0 + 2 * ldc, a2, b0, b1, b2, b3, p, s20, s21, s22, s23);
            Finish(c0 + 3 * ldc, a3, b0, b1, b2, b3, p, s30, s31, s32, s33);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Block1x4<TOps>(int i, int j) where TOps : struct, IDotOps<TOps, T>
        {
            T* a0 = a + (long)i * lda;
            T* b0 = b + (long)j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
            TOps s0 = default, s1 = default, s2 = default, s3 = default;
            int v = TOps.Count, p = 0;
            for (; p + v <= k; p += v)
            {
                TOps x = TOps.Load(a0 + p);
                s0 = TOps.Fma(x, TOps.Load(b0 + p), s0);
                s1 = TOps.Fma(x, TOps.Load(b1 + p), s1);
                s2 = TOps.Fma(x, TOps.Load(b2 + p), s2);
                s3 = TOps.Fma(x, TOps.Load(b3 + p), s3);
            }
            Finish(c + (long)i * ldc + j, a0, b0, b1, b2, b3, p, s0, s1, s2, s3);
        }

        private void Single<TOps>(int i, int j) where TOps : struct, IDotOps<TOps, T>
        {
            T* a0 = a + (long)i * lda, b0 = b + (long)j * ldb;
            TOps s = default;
            int v = TOps.Count, p = 0;
            for (; p + v <= k; p += v) s = TOps.Fma(TOps.Load(a0 + p), TOps.Load(b0 + p), s);
            c[(long)i * ldc + j] += alpha * Tail(TOps.Sum(s), a0, b0, p);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Finish<TOps>(T* cRow, T* aRow, T* b0, T* b1, T* b2, T* b3, int p, TOps s0, TOps s1, TOps s2, TOps s3)
            where TOps : struct, IDotOps<TOps, T>
        {
            cRow[0] += alpha * Tail(TOps.Sum(s0), aRow, b0, p);
            cRow[1] += alpha * Tail(TOps.Sum(s1), aRow, b1, p);
            cRow[2] += alpha * Tail(TOps.Sum(s2), aRow, b2, p);
            cRow[3] += alpha * Tail(TOps.Sum(s3), aRow, b3, p);
        }

        /// <summary>Adds the k values past the last full vector, in order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private T Tail(T sum, T* aRow, T* bRow, int p)
        {
            for (; p < k; p++) sum += aRow[p] * bRow[p];
            return sum;
        }
    }
}

/// <summary>
/// The few vector operations of the dot kernel and the packed GEMM's tile (<see cref="GemmMicroKernels"/>); each width
/// is a struct, so the JIT specializes and inlines, and one generic kernel serves every width.
/// </summary>
internal unsafe interface IDotOps<TSelf, T> where TSelf : struct, IDotOps<TSelf, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Loads a vector.</summary>
    static abstract TSelf Load(T* source);

    /// <summary>x·y + addend, fused.</summary>
    static abstract TSelf Fma(TSelf x, TSelf y, TSelf addend);

    /// <summary>The horizontal sum.</summary>
    static abstract T Sum(TSelf value);

    /// <summary>Rows of the packed GEMM's register tile at this width (<see cref="GemmMicroKernels"/>).</summary>
    static abstract int TileRows { get; }

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TSelf Broadcast(T value);

    /// <summary>x + y, lane-wise.</summary>
    static abstract TSelf Add(TSelf x, TSelf y);

    /// <summary>x·y, lane-wise (rounded: not fused with a following add).</summary>
    static abstract TSelf Multiply(TSelf x, TSelf y);

    /// <summary>Stores a vector.</summary>
    static abstract void Store(TSelf value, T* destination);
}

/// <summary>AVX-512 operations.</summary>
internal readonly unsafe struct Ops512<T>(Vector512<T> value) : IDotOps<Ops512<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Vector512<T> value = value;

    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Ops512<T> Load(T* source) => new(Vector512.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Ops512<T> Fma(Ops512<T> x, Ops512<T> y, Ops512<T> addend) => new(GemmMicroKernels.Fma512(x.value, y.value, addend.value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Ops512<T> v) => Vector512.Sum(v.value);

    public static int TileRows => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Ops512<T> Broadcast(T value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Ops512<T> Add(Ops512<T> x, Ops512<T> y) => new(x.value + y.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Ops512<T> Multiply(Ops512<T> x, Ops512<T> y) => new(x.value * y.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Ops512<T> v, T* destination) => Vector512.Store(v.value, destination);
}

/// <summary>AVX2 + FMA operations.</summary>
internal readonly unsafe struct Ops256<T>(Vector256<T> value) : IDotOps<Ops256<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Vector256<T> value = value;

    public static int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Ops256<T> Load(T* source) => new(Vector256.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Ops256<T> Fma(Ops256<T> x, Ops256<T> y, Ops256<T> addend) => new(GemmMicroKernels.Fma256(x.value, y.value, addend.value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Ops256<T> v) => Vector256.Sum(v.value);

    public static int TileRows => 6;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Ops256<T> Broadcast(T value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Ops256<T> Add(Ops256<T> x, Ops256<T> y) => new(x.value + y.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Ops256<T> Multiply(Ops256<T> x, Ops256<T> y) => new(x.value * y.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Ops256<T> v, T* destination) => Vector256.Store(v.value, destination);
}

/// <summary>Portable Vector&lt;T&gt; operations.</summary>
internal readonly unsafe struct OpsVector<T>(Vector<T> value) : IDotOps<OpsVector<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Vector<T> value = value;

    public static int Count => Vector<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OpsVector<T> Load(T* source) => new(Vector.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OpsVector<T> Fma(OpsVector<T> x, OpsVector<T> y, OpsVector<T> addend) => new(GemmMicroKernels.FmaVector(x.value, y.value, addend.value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(OpsVector<T> v) => Vector.Sum(v.value);

    public static int TileRows => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OpsVector<T> Broadcast(T value) => new(new Vector<T>(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OpsVector<T> Add(OpsVector<T> x, OpsVector<T> y) => new(x.value + y.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OpsVector<T> Multiply(OpsVector<T> x, OpsVector<T> y) => new(x.value * y.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(OpsVector<T> v, T* destination) => Vector.Store(v.value, destination);
}

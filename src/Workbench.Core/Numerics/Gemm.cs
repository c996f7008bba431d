using System.Diagnostics;
using System.Numerics;

namespace Workbench.Numerics;

/// <summary>
/// General matrix multiply on row-major storage: C ← α·op(A)·op(B) + β·C, where op(X) is X or Xᵀ.
/// Every recurrent layer funnels its heavy work through here, so this is the one place to make fast.
/// </summary>
/// <remarks>
/// <para>A is m×k after op, B is k×n after op, C is m×n. lda/ldb/ldc are row strides of the stored (untransposed)
/// matrices. When β is zero, C is overwritten (NaNs already in C do not propagate), as BLAS does; when α is zero
/// or k is zero, A and B are not read.</para>
/// <para>float and double run on a fast backend (<see cref="Backend"/>): the managed SIMD kernel, or a native OpenBLAS
/// (chosen automatically when the machine has one and lacks AVX-512, where the managed kernel is faster). Tiny products (up to 2¹⁸ multiply-adds, the batch-1 recurrent step) always take the
/// managed direct path, which has no packing or call overhead. Other element types use a plain loop.</para>
/// <para>Results are bit-identical whatever <see cref="ThreadCount"/> is: work is split over rows or columns of C,
/// never over k.</para>
/// <para>Environment: <c>WORKBENCH_BLAS</c> = <c>managed</c> | <c>openblas</c> | <c>auto</c> (the default) and <c>WORKBENCH_BLAS_THREADS</c> = thread count (default: the processor count).</para>
/// </remarks>
public static class Gemm
{
    private static GemmBackend backend;
    private static readonly string backendNote;
    private static int threadCount;

    static Gemm()
    {
        backend = InitialBackend(out backendNote);
        threadCount = InitialThreadCount();
    }

    /// <summary>True when a native OpenBLAS was found and bound.</summary>
    public static bool IsOpenBlasAvailable => OpenBlasLibrary.IsAvailable;

    /// <summary>
    /// The engine for float and double products. Setting <see cref="GemmBackend.OpenBlas"/> when
    /// <see cref="IsOpenBlasAvailable"/> is false throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public static GemmBackend Backend
    {
        get => backend;
        set
        {
            if (value == GemmBackend.OpenBlas && !OpenBlasLibrary.IsAvailable)
                throw new InvalidOperationException("Gemm.Backend: OpenBLAS is not installed on this machine (looked for libopenblas.so.0 and libblas.so.3; on Debian: apt-get install libopenblas0-pthread).");
            if (value is not (GemmBackend.Managed or GemmBackend.OpenBlas))
                throw new ArgumentOutOfRangeException(nameof(value), value, "Gemm.Backend must be Managed or OpenBlas.");
            backend = value;
        }
    }

    /// <summary>Threads used by one product (both backends); at least 1. It never changes the result, only the speed.</summary>
    public static int ThreadCount
    {
        get => threadCount;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "Gemm.ThreadCount must be at least 1.");
            threadCount = value;
        }
    }

    private static long statisticsCalls, statisticsMultiplyAdds, statisticsTicks;

    /// <summary>When true, every product adds to <see cref="Statistics"/> (two timestamps per call; off by default).</summary>
    public static bool CollectStatistics { get; set; }

    /// <summary>Products, multiply-adds and time counted since the last <see cref="ResetStatistics"/>.</summary>
    public static GemmStatistics Statistics => new(Interlocked.Read(ref statisticsCalls), Interlocked.Read(ref statisticsMultiplyAdds),
        (double)Interlocked.Read(ref statisticsTicks) / Stopwatch.Frequency);

    /// <summary>Sets <see cref="Statistics"/> back to zero.</summary>
    public static void ResetStatistics()
    {
        Interlocked.Exchange(ref statisticsCalls, 0);
        Interlocked.Exchange(ref statisticsMultiplyAdds, 0);
        Interlocked.Exchange(ref statisticsTicks, 0);
    }

    /// <summary>One line naming the backend, kernel and threads in use, e.g. for benchmark reports.</summary>
    public static string Description
    {
        get
        {
            string engine = backend == GemmBackend.OpenBlas
                ? $"OpenBLAS [{OpenBlasLibrary.Configuration ?? OpenBlasLibrary.LoadedFrom}]"
                : $"managed {ManagedGemm.BestKernel} kernel";
            return $"{engine}, {threadCount} thread(s){backendNote}";
        }
    }

    /// <summary>C ← α·op(A)·op(B) + β·C.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is too small.</exception>
    /// <exception cref="ArgumentException">A span is too short for the matrix it holds.</exception>
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!CollectStatistics)
        {
            MultiplyWith(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, backend, threadCount, ManagedGemm.BestKernel);
            return;
        }
        long start = Stopwatch.GetTimestamp();
        MultiplyWith(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, backend, threadCount, ManagedGemm.BestKernel);
        Interlocked.Add(ref statisticsTicks, Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref statisticsCalls);
        Interlocked.Add(ref statisticsMultiplyAdds, (long)m * n * k);
    }

    /// <summary>The same product on an explicit backend, thread count and managed kernel (tests compare them).</summary>
    internal static unsafe void MultiplyWith<T>(bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc, GemmBackend useBackend, int threads, GemmKernel kernel)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            Reference(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            bool small = (long)m * n * k <= ManagedGemm.SmallWork || k == 0 || T.IsZero(alpha);
            if (useBackend == GemmBackend.OpenBlas && OpenBlasLibrary.IsAvailable && !small)
                OpenBlasGemm.Multiply(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads);
            else
                ManagedGemm.Multiply(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads, kernel);
        }
    }

    /// <summary>The plain triple loop (double-checked by the tests; used for element types without a fast kernel).</summary>
    internal static void Reference<T>(bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            Span<T> cRow = c.Slice(i * ldc, n);
            if (T.IsZero(beta)) cRow.Clear();
            else if (beta != T.One) for (int j = 0; j < n; j++) cRow[j] *= beta;
            if (T.IsZero(alpha)) continue;
            for (int p = 0; p < k; p++)
            {
                T aip = alpha * (transposeA ? a[p * lda + i] : a[i * lda + p]);
                if (!transposeB)
                {
                    ReadOnlySpan<T> bRow = b.Slice(p * ldb, n);
                    for (int j = 0; j < n; j++) cRow[j] += aip * bRow[j];
                }
                else
                {
                    for (int j = 0; j < n; j++) cRow[j] += aip * b[j * ldb + p];
                }
            }
        }
    }

    private static void Validate(bool transposeA, bool transposeB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), m, "Gemm.Multiply: m (rows of C) must not be negative.");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "Gemm.Multiply: n (columns of C) must not be negative.");
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "Gemm.Multiply: k (inner dimension) must not be negative.");
        RequireMatrix("a", "lda", aLength, lda, transposeA ? k : m, transposeA ? m : k, transposeA);
        RequireMatrix("b", "ldb", bLength, ldb, transposeB ? n : k, transposeB ? k : n, transposeB);
        RequireMatrix("c", "ldc", cLength, ldc, m, n, false);
    }

    private static void RequireMatrix(string name, string ldName, int length, int ld, int storedRows, int storedColumns, bool transposed)
    {
        // Messages are built only on failure: this runs on every product of a training step.
        if (ld < Math.Max(1, storedColumns))
            throw new ArgumentOutOfRangeException(ldName, ld, $"Gemm.Multiply: {ldName} = {ld} is smaller than the {storedColumns} columns of {name}, which is {Shape(storedRows, storedColumns, transposed)}.");
        if (storedRows == 0 || storedColumns == 0) return;
        long needed = (long)(storedRows - 1) * ld + storedColumns;
        if (length < needed)
            throw new ArgumentException($"Gemm.Multiply: {name} holds {length} elements but a {Shape(storedRows, storedColumns, transposed)} matrix with row stride {ld} needs {needed}.", name);
    }

    private static string Shape(int rows, int columns, bool transposed) =>
        $"{rows}×{columns}{(transposed ? " (as stored; op transposes it)" : "")}";

    private static GemmBackend InitialBackend(out string note)
    {
        note = "";
        string? wanted = Environment.GetEnvironmentVariable("WORKBENCH_BLAS")?.Trim().ToLowerInvariant();
        switch (wanted)
        {
            case "managed":
                return GemmBackend.Managed;
            case "openblas" when !OpenBlasLibrary.IsAvailable:
                note = " (WORKBENCH_BLAS=openblas but OpenBLAS was not found)";
                return GemmBackend.Managed;
            case "openblas":
                return GemmBackend.OpenBlas;
            case null or "" or "auto":
                return AutomaticBackend();
            default:
                note = $" (WORKBENCH_BLAS='{wanted}' is not managed|openblas|auto: ignored)";
                return AutomaticBackend();
        }
    }

    /// <summary>
    /// With AVX-512 the managed kernel wins (measured here: ≈1.7× Debian's OpenBLAS 0.3.21, which runs its AVX2
    /// "Haswell" kernels on this CPU); otherwise OpenBLAS when present.
    /// </summary>
    private static GemmBackend AutomaticBackend() =>
        ManagedGemm.BestKernel == GemmKernel.Vector512 || !OpenBlasLibrary.IsAvailable ? GemmBackend.Managed : GemmBackend.OpenBlas;

    private static int InitialThreadCount()
    {
        string? text = Environment.GetEnvironmentVariable("WORKBENCH_BLAS_THREADS");
        return int.TryParse(text, out int threads) && threads >= 1 ? threads : Math.Max(1, Environment.ProcessorCount);
    }
}

using System.Runtime.InteropServices;

namespace Workbench.Numerics;

/// <summary>
/// The optional native OpenBLAS, bound at run time with <see cref="NativeLibrary"/> so that a machine without it
/// simply falls back to the managed kernel (no DllImport failure).
/// </summary>
internal static unsafe class OpenBlasLibrary
{
    // CBLAS enumerations (cblas.h).
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm;
    private static readonly delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> Dgemm;
    private static readonly delegate* unmanaged<int, void> SetNumThreads;
    private static readonly delegate* unmanaged<int> GetNumThreads;

    // OpenBLAS's thread count is process-global: one call at a time sets it and multiplies.
    private static readonly Lock CallGate = new();
    private static int threadsInEffect = -1;

    /// <summary>True when a library with cblas_sgemm, cblas_dgemm and openblas_set_num_threads was loaded.</summary>
    public static bool IsAvailable { get; }

    /// <summary>The path or name the library was loaded from, or null.</summary>
    public static string? LoadedFrom { get; }

    /// <summary>OpenBLAS's description of itself (version, build options, the CPU kernel it picked), or null.</summary>
    public static string? Configuration { get; }

    static OpenBlasLibrary()
    {
        // Debian's libopenblas0-pthread first (by soname, then by its fixed path), then the generic BLAS alternative,
        // which is only accepted when it turns out to be OpenBLAS (it exports openblas_set_num_threads).
        string[] candidates =
        [
            "libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "libopenblas.so",
            "libblas.so.3",
            "libopenblas.dylib",
            "libopenblas.dll",
        ];
        foreach (string candidate in candidates)
        {
            if (!NativeLibrary.TryLoad(candidate, out IntPtr handle)) continue;
            if (NativeLibrary.TryGetExport(handle, "cblas_sgemm", out IntPtr s)
                && NativeLibrary.TryGetExport(handle, "cblas_dgemm", out IntPtr d)
                && NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out IntPtr set)
                && NativeLibrary.TryGetExport(handle, "openblas_get_num_threads", out IntPtr get))
            {
                Sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)s;
                Dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)d;
                SetNumThreads = (delegate* unmanaged<int, void>)set;
                GetNumThreads = (delegate* unmanaged<int>)get;
                if (NativeLibrary.TryGetExport(handle, "openblas_get_config", out IntPtr config))
                {
                    string? text = Marshal.PtrToStringAnsi(((delegate* unmanaged<IntPtr>)config)());
                    if (NativeLibrary.TryGetExport(handle, "openblas_get_corename", out IntPtr core))
                        text += $" (core {Marshal.PtrToStringAnsi(((delegate* unmanaged<IntPtr>)core)())})";
                    Configuration = text;
                }
                LoadedFrom = candidate;
                IsAvailable = true;
                return;
            }
            NativeLibrary.Free(handle);
        }
    }

    /// <summary>C ← α·op(A)·op(B) + β·C in single precision with <paramref name="threads"/> OpenBLAS threads.</summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float beta, float* c, int ldc, int threads)
    {
        lock (CallGate)
        {
            UseThreads(threads);
            Sgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
    }

    /// <summary>C ← α·op(A)·op(B) + β·C in double precision with <paramref name="threads"/> OpenBLAS threads.</summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k, double alpha, double* a, int lda,
        double* b, int ldb, double beta, double* c, int ldc, int threads)
    {
        lock (CallGate)
        {
            UseThreads(threads);
            Dgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
    }

    private static void UseThreads(int threads)
    {
        // Someone else in the process (e.g. another library sharing this OpenBLAS) may have changed it: check cheaply.
        if (threads != threadsInEffect || GetNumThreads() != threads)
        {
            SetNumThreads(threads);
            threadsInEffect = threads;
        }
    }
}

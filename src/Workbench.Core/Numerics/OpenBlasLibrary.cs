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

    private static readonly Lock SettingGate = new();

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

    /// <summary>C ← α·op(A)·op(B) + β·C in single precision on the calling thread (OpenBLAS's own threads stay off).</summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float beta, float* c, int ldc)
    {
        EnsureSingleThreaded();
        Sgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>C ← α·op(A)·op(B) + β·C in double precision on the calling thread (OpenBLAS's own threads stay off).</summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k, double alpha, double* a, int lda,
        double* b, int ldb, double beta, double* c, int ldc)
    {
        EnsureSingleThreaded();
        Dgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>
    /// OpenBLAS's threaded driver blocks k differently from its single-threaded one (measured: 1 and 2 threads give
    /// different bits for k = 530), so OpenBLAS always runs single-threaded here and <see cref="OpenBlasGemm"/> splits C
    /// between our own threads instead. The setting is process-global: re-assert it if someone changed it.
    /// </summary>
    private static void EnsureSingleThreaded()
    {
        if (GetNumThreads() == 1) return;
        lock (SettingGate) SetNumThreads(1);
    }
}

namespace Workbench.Numerics;

/// <summary>Which engine <see cref="Gemm.Multiply{T}"/> uses for products that are not tiny.</summary>
public enum GemmBackend
{
    /// <summary>The built-in C# kernel: packed panels, SIMD register blocking, cache blocking; runs anywhere.</summary>
    Managed,

    /// <summary>A native OpenBLAS found on the machine (Debian's libopenblas0-pthread), called through cblas_sgemm/cblas_dgemm.</summary>
    OpenBlas,
}

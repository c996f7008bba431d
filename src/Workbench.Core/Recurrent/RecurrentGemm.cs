using System.Numerics;
using Workbench.Numerics;

namespace Workbench.Recurrent;

/// <summary>
/// Every product of a direction's pass goes through here: while the two directions run side by side
/// (<see cref="SingleThreaded"/>) each product keeps to its own thread; the managed GEMM gives the same bits for any
/// thread count, so the results do not depend on it.
/// </summary>
internal sealed class RecurrentGemm
{
    /// <summary>Set while both directions run at once.</summary>
    public bool SingleThreaded;

    /// <summary>C ← α op(A) op(B) + β C, row-major, as <see cref="Gemm.Multiply{T}"/>.</summary>
    public void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (SingleThreaded)
            Gemm.MultiplyWith(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmBackend.Managed, 1, ManagedGemm.BestKernel);
        else
            Gemm.Multiply(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}

using System.Numerics;

namespace Workbench.Numerics;

/// <summary>
/// General matrix multiply on row-major storage: C ← α·op(A)·op(B) + β·C, where op(X) is X or Xᵀ.
/// Every recurrent layer funnels its heavy work through here, so this is the one place to make fast.
/// </summary>
/// <remarks>
/// A is m×k after op, B is k×n after op, C is m×n. lda/ldb/ldc are row strides of the stored (untransposed) matrices.
/// When β is zero, C is overwritten (NaNs already in C do not propagate), as BLAS does.
/// </remarks>
public static class Gemm
{
    /// <summary>C ← α·op(A)·op(B) + β·C.</summary>
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // Reference implementation: correct for every case; the fast kernels replace it behind this signature.
        for (int i = 0; i < m; i++)
        {
            Span<T> cRow = c.Slice(i * ldc, n);
            if (T.IsZero(beta)) cRow.Clear();
            else if (beta != T.One) for (int j = 0; j < n; j++) cRow[j] *= beta;
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
}

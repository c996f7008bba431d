using System.Numerics;

namespace Workbench.Numerics;

/// <summary>
/// The OpenBLAS backend: C is split into a fixed partition of row strips and each strip is one single-threaded cblas
/// call on our worker threads, so the bits do not depend on the thread count.
/// </summary>
internal static unsafe class OpenBlasGemm
{
    /// <summary>
    /// Strip boundaries fall on multiples of this many rows of C (a multiple of OpenBLAS's register tiles), keeping
    /// every element in the same kind of tile whatever the split. Only rows: splitting columns moves OpenBLAS's own
    /// blocking of them (row-major C is its column-major Cᵀ), and measured bits then changed near the boundary.
    /// </summary>
    private const int Unit = 96;

    /// <summary>C ← α·op(A)·op(B) + β·C for float or double (arguments already validated, m, n, k &gt; 0).</summary>
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, T alpha, T* a, int lda,
        T* b, int ldb, T beta, T* c, int ldc, int threads) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var partition = new CPartition(m, n, k, Unit, Unit, threads, axis: -1);
        if (partition.Parts == 1)
        {
            Call(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        Job<T> job = Job<T>.ForThisThread();
        job.Set(partition, transposeA, transposeB, k, alpha, a, lda, b, ldb, beta, c, ldc);
        job.RunParts();
    }

    private static void Call<T>(bool transposeA, bool transposeB, int m, int n, int k, T alpha, T* a, int lda,
        T* b, int ldb, T beta, T* c, int ldc) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            OpenBlasLibrary.Multiply(transposeA, transposeB, m, n, k, float.CreateTruncating(alpha), (float*)a, lda,
                (float*)b, ldb, float.CreateTruncating(beta), (float*)c, ldc);
        else
            OpenBlasLibrary.Multiply(transposeA, transposeB, m, n, k, double.CreateTruncating(alpha), (double*)a, lda,
                (double*)b, ldb, double.CreateTruncating(beta), (double*)c, ldc);
    }

    private sealed class Job<T> : PartitionedJob<Job<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private bool transposeA, transposeB;
        private int k, lda, ldb, ldc;
        private T alpha, beta;

        public void Set(CPartition partition, bool transposeA, bool transposeB, int k, T alpha, T* a, int lda, T* b, int ldb,
            T beta, T* c, int ldc)
        {
            this.partition = partition;
            (this.transposeA, this.transposeB, this.k, this.alpha, this.lda, this.ldb, this.beta, this.ldc) =
                (transposeA, transposeB, k, alpha, lda, ldb, beta, ldc);
            this.a = a;
            this.b = b;
            this.c = c;
        }

        public override void Run(int part)
        {
            var (i0, i1, j0, j1) = partition.Region(part);
            if (i0 >= i1 || j0 >= j1) return;
            // Row i of op(A) starts at a + i·lda (stored as is) or a + i (stored transposed); likewise columns of op(B).
            T* aPart = a + (transposeA ? i0 : (long)i0 * lda);
            T* bPart = b + (transposeB ? (long)j0 * ldb : j0);
            Call(transposeA, transposeB, i1 - i0, j1 - j0, k, alpha, aPart, lda, bPart, ldb, beta, c + (long)i0 * ldc + j0, ldc);
        }
    }
}

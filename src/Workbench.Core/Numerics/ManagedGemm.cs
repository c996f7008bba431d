// Over 400 lines on purpose: the blocked product's loop nest, its packing calls and its per-thread job read as one
// algorithm (Goto's five loops); the micro-kernels (GemmMicroKernels), packing (PackTranspose) and the few-rows
// path (DotGemm) are already their own files.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Workbench.Numerics;

/// <summary>Which register-blocked micro-kernel the managed GEMM uses.</summary>
internal enum GemmKernel
{
    /// <summary>AVX-512: 8 rows × 2 zmm vectors.</summary>
    Vector512,

    /// <summary>AVX2 + FMA: 6 rows × 2 ymm vectors.</summary>
    Vector256,

    /// <summary>Portable Vector&lt;T&gt;: 4 rows × 2 vectors.</summary>
    VectorT,
}

/// <summary>
/// The managed GEMM: a direct (unpacked) path for small products, and for the rest the classic packed scheme —
/// B panels of KC×NC, A blocks of MC×KC, both repacked into micro-panels that the register-blocked micro-kernel streams.
/// </summary>
/// <remarks>
/// Determinism: every element of C is computed by the same sequence of operations whatever the thread count — k is
/// blocked from 0 in steps of KC (never split between threads), each micro-kernel call accumulates its KC products in
/// order, and edge tiles go through a zero-padded scratch tile with the very same micro-kernel. Threads only decide
/// which tiles of C they own.
/// </remarks>
internal static unsafe class ManagedGemm
{
    /// <summary>The best micro-kernel this machine runs in hardware.</summary>
    public static readonly GemmKernel BestKernel =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmKernel.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernel.Vector256
        : GemmKernel.VectorT;

    /// <summary>Products up to this many multiply-adds take the direct path (no packing, one thread).</summary>
    internal const long SmallWork = 1L << 18;

    /// <summary>Up to this many multiply-adds, a product with few rows (m ≤ 16) and B not transposed streams B
    /// without packing (split over column strips); a single-row product (m ≤ 4) always does.</summary>
    internal const long FewRowsWork = 1L << 22;

    /// <summary>Depth of a packed panel: KC values of k per micro-kernel call.</summary>
    internal const int KC = 256;

    /// <summary>Columns of C per packed B panel.</summary>
    private const int NC = 2048;

    /// <summary>C ← α·op(A)·op(B) + β·C (arguments already validated).</summary>
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, T alpha, T* a, int lda,
        T* b, int ldb, T beta, T* c, int ldc, int threads, GemmKernel kernel)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0) return;
        if (k == 0 || T.IsZero(alpha))
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }
        long work = (long)m * n * k;
        // Few rows: packing B would cost as much as the product, so stream B directly (a batch-1 recurrent step).
        // (For B not transposed, each extra row re-reads B, so only up to a bound; a single row, e.g. the bias
        // gradient as ones·G, always streams.)
        bool fewRows = m <= DotGemm.MaxRows && (transposeB || work <= FewRowsWork || m <= 4);
        if (!(transposeA && transposeB) && (work <= SmallWork || fewRows))
        {
            ScaleC(m, n, beta, c, ldc);
            int aRowStride = transposeA ? 1 : lda, aColStride = transposeA ? lda : 1;
            if (work <= SmallWork)
            {
                if (transposeB) SmallDot(m, n, k, alpha, a, lda, b, ldb, c, ldc);
                else SmallAxpy(m, 0, n, k, alpha, a, aRowStride, aColStride, b, ldb, c, ldc);
            }
            else if (transposeB)
            {
                DotGemm.Multiply(m, n, k, alpha, a, lda, b, ldb, c, ldc, threads, kernel);
            }
            else
            {
                // Split over columns in whole 4-vector blocks, so each element falls in the same kind of block.
                var partition = new CPartition(m, n, k, 1, 4 * Vector<T>.Count, threads, axis: 1);
                AxpyJob<T> axpyJob = AxpyJob<T>.ForThisThread();
                axpyJob.Set(partition, m, n, k, alpha, a, aRowStride, aColStride, b, ldb, c, ldc);
                axpyJob.RunParts();
            }
            return;
        }

        Blocked<T> job = Blocked<T>.ForThisThread();
        job.Set(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, kernel, threads);
        job.RunParts();
    }

    /// <summary>C ← β·C over an m×n block; β = 0 overwrites (NaN in C does not survive), as BLAS does.</summary>
    internal static void ScaleC<T>(int m, int n, T beta, T* c, int ldc) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (beta == T.One) return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + (long)i * ldc, n);
            if (T.IsZero(beta)) row.Clear();
            else for (int j = 0; j < n; j++) row[j] *= beta;
        }
    }

    /// <summary>
    /// Direct path when B is not transposed: each C row accumulates α·Σ_p A[i,p]·B[p,:] in vector registers,
    /// streaming contiguous rows of B; columns [j0, n). A is addressed as a[i·rowStride + p·colStride] (either layout).
    /// </summary>
    private static void SmallAxpy<T>(int m, int j0, int n, int k, T alpha, T* a, int aRowStride, int aColStride,
        T* b, int ldb, T* c, int ldc) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int v = Vector<T>.Count;
        var al = new Vector<T>(alpha);
        for (int i = 0; i < m; i++)
        {
            T* ai = a + (long)i * aRowStride;
            T* ci = c + (long)i * ldc;
            int j = j0;
            for (; j <= n - 4 * v; j += 4 * v)
            {
                Vector<T> s0 = default, s1 = default, s2 = default, s3 = default;
                T* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                {
                    var x = new Vector<T>(ai[(long)p * aColStride]);
                    s0 = GemmMicroKernels.FmaVector(x, Vector.Load(bp), s0);
                    s1 = GemmMicroKernels.FmaVector(x, Vector.Load(bp + v), s1);
                    s2 = GemmMicroKernels.FmaVector(x, Vector.Load(bp + 2 * v), s2);
                    s3 = GemmMicroKernels.FmaVector(x, Vector.Load(bp + 3 * v), s3);
                }
                T* cj = ci + j;
                Vector.Store(Vector.Load(cj) + al * s0, cj);
                Vector.Store(Vector.Load(cj + v) + al * s1, cj + v);
                Vector.Store(Vector.Load(cj + 2 * v) + al * s2, cj + 2 * v);
                Vector.Store(Vector.Load(cj + 3 * v) + al * s3, cj + 3 * v);
            }
            for (; j <= n - v; j += v)
            {
                Vector<T> s0 = default;
                T* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                    s0 = GemmMicroKernels.FmaVector(new Vector<T>(ai[(long)p * aColStride]), Vector.Load(bp), s0);
                Vector.Store(Vector.Load(ci + j) + al * s0, ci + j);
            }
            for (; j < n; j++)
            {
                T s = T.Zero;
                T* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb) s += ai[(long)p * aColStride] * *bp;
                ci[j] += alpha * s;
            }
        }
    }

    /// <summary>
    /// Direct path for C ← C + α·A·Bᵀ with A rows and B rows both contiguous over k: four dot products at a time,
    /// vectorized over k.
    /// </summary>
    private static void SmallDot<T>(int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T* c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int v = Vector<T>.Count;
        for (int i = 0; i < m; i++)
        {
            T* ai = a + (long)i * lda;
            T* ci = c + (long)i * ldc;
            int j = 0;
            for (; j <= n - 4; j += 4)
            {
                T* b0 = b + (long)j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
                Vector<T> s0 = default, s1 = default, s2 = default, s3 = default;
                int p = 0;
                for (; p <= k - v; p += v)
                {
                    var x = Vector.Load(ai + p);
                    s0 = GemmMicroKernels.FmaVector(x, Vector.Load(b0 + p), s0);
                    s1 = GemmMicroKernels.FmaVector(x, Vector.Load(b1 + p), s1);
                    s2 = GemmMicroKernels.FmaVector(x, Vector.Load(b2 + p), s2);
                    s3 = GemmMicroKernels.FmaVector(x, Vector.Load(b3 + p), s3);
                }
                T t0 = Vector.Sum(s0), t1 = Vector.Sum(s1), t2 = Vector.Sum(s2), t3 = Vector.Sum(s3);
                for (; p < k; p++)
                {
                    T x = ai[p];
                    t0 += x * b0[p];
                    t1 += x * b1[p];
                    t2 += x * b2[p];
                    t3 += x * b3[p];
                }
                ci[j] += alpha * t0;
                ci[j + 1] += alpha * t1;
                ci[j + 2] += alpha * t2;
                ci[j + 3] += alpha * t3;
            }
            for (; j < n; j++)
            {
                T* b0 = b + (long)j * ldb;
                Vector<T> s0 = default;
                int p = 0;
                for (; p <= k - v; p += v) s0 = GemmMicroKernels.FmaVector(Vector.Load(ai + p), Vector.Load(b0 + p), s0);
                T t0 = Vector.Sum(s0);
                for (; p < k; p++) t0 += ai[p] * b0[p];
                ci[j] += alpha * t0;
            }
        }
    }

    /// <summary>The streamed few-rows product split over column strips.</summary>
    private sealed class AxpyJob<T> : PartitionedJob<AxpyJob<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private int m, k, aRowStride, aColStride, ldb, ldc;
        private T alpha;

        public void Set(CPartition partition, int m, int n, int k, T alpha, T* a, int aRowStride, int aColStride, T* b, int ldb, T* c, int ldc)
        {
            this.partition = partition;
            (this.m, this.k, this.alpha, this.aRowStride, this.aColStride, this.ldb, this.ldc) = (m, k, alpha, aRowStride, aColStride, ldb, ldc);
            this.a = a;
            this.b = b;
            this.c = c;
        }

        public override void Run(int part)
        {
            var (_, _, j0, j1) = partition.Region(part);
            if (j0 < j1) SmallAxpy(m, j0, j1, k, alpha, a, aRowStride, aColStride, b, ldb, c, ldc);
        }
    }

    /// <summary>Tile geometry of a micro-kernel for element type T: rows (MR), columns (NR), rows per A block (MC).</summary>
    internal static (int Mr, int Nr, int Mc) Geometry<T>(GemmKernel kernel) where T : unmanaged
    {
        return kernel switch
        {
            GemmKernel.Vector512 => (8, 2 * Vector512<T>.Count, 128),
            GemmKernel.Vector256 => (6, 2 * Vector256<T>.Count, 120),
            _ => (4, 2 * Vector<T>.Count, 128),
        };
    }

    /// <summary>
    /// One packed product, split into a fixed partition of C's rows or columns. When C is split into more row strips
    /// than threads, B — which every strip multiplies by — is packed once for the whole product, by every thread that
    /// joins, before any strip is computed; each strip then packs only its own rows of A.
    /// </summary>
    /// <remarks>
    /// Measured on 2 cores (Zen 5, A/B in one process): sharing B gains 5–9 % at 2048³ and 4096×1024×128 (4 and 8
    /// strips), where each strip would otherwise pack all of B again; with one strip per thread it lost 8 % (512³,
    /// 1024×256×32): reading the half of B that the other core packed cost more than packing it again. Column strips
    /// (m ≤ n/4) share A, which is small there; they keep repacking it (sharing it measured no faster).
    /// </remarks>
    private sealed class Blocked<T> : PartitionedJob<Blocked<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        /// <summary>Above this many packed elements B is not packed once up front (each part packs it again, as with
        /// one thread): a cap on the memory one product holds.</summary>
        private const long MaxSharedElements = 1L << 24;

        private bool transposeA, transposeB;
        private int m, n, k, lda, ldb, ldc, mr, nr, mc;
        private T alpha, beta;
        private GemmKernel kernel;

        // B packed for all parts (null when each part packs its own panels), and its packing tasks: a task is a KC-deep
        // panel of a group of micro-panels, taken first come first served.
        private T* shared;
        private int sharedTasks, sharedGroups;
        private PackCounters counters;

        public void Set(bool transposeA, bool transposeB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb,
            T beta, T* c, int ldc, GemmKernel kernel, int threads)
        {
            (this.transposeA, this.transposeB, this.m, this.n, this.k) = (transposeA, transposeB, m, n, k);
            (this.alpha, this.lda, this.ldb, this.beta, this.ldc) = (alpha, lda, ldb, beta, ldc);
            this.a = a;
            this.b = b;
            this.c = c;
            this.kernel = kernel;
            (mr, nr, mc) = Geometry<T>(kernel);
            partition = new CPartition(m, n, k, mr, nr, threads);
            shared = null;
            sharedTasks = 0;
            long elements = (long)k * RoundUp(n, nr);
            if (partition.Parts <= partition.Threads || partition.SplitColumns || elements > MaxSharedElements) return;
            // Sized by the whole product, so the caller's buffer stops growing once the largest product has run.
            shared = PackBuffers.Shared<T>(elements);
            sharedGroups = (n + GroupColumns - 1) / GroupColumns;
            sharedTasks = sharedGroups * ((k + KC - 1) / KC);
            counters.Next = 0;
            counters.Done = 0;
        }

        /// <summary>Columns of B per packing task: a whole number of micro-panels that divides NC.</summary>
        private int GroupColumns => 8 * nr;

        public override void Run(int part)
        {
            if (shared != null) PackShared();
            var (i0, i1, j0, j1) = partition.Region(part);
            if (i0 >= i1 || j0 >= j1) return;
            ScaleC(i1 - i0, j1 - j0, beta, c + (long)i0 * ldc + j0, ldc);
            Compute(i0, i1, j0, j1);
        }

        /// <summary>Packs panels of the shared B until none is left, then waits until the other threads' are done too.</summary>
        private void PackShared()
        {
            if (Volatile.Read(ref counters.Done) == sharedTasks) return;
            long bRow = transposeB ? 1 : ldb, bCol = transposeB ? ldb : 1;
            int task;
            while (Volatile.Read(ref counters.Next) < sharedTasks && (task = Interlocked.Increment(ref counters.Next) - 1) < sharedTasks)
            {
                int j = task % sharedGroups * GroupColumns, jc = j / NC * NC, pc = task / sharedGroups * KC, kc = Math.Min(KC, k - pc);
                T* panel = SharedB(jc, pc, Math.Min(NC, n - jc));
                try
                {
                    PackB(panel + (long)(j - jc) * kc, b + pc * bRow + j * bCol, bRow, bCol, kc, Math.Min(GroupColumns, n - j));
                }
                finally
                {
                    // Counted even on failure, so that no thread waits forever (the pool rethrows the error).
                    Interlocked.Increment(ref counters.Done);
                }
            }
            // The last panels may still be in another thread's hands: every part reads all of B.
            var spin = new SpinWait();
            while (Volatile.Read(ref counters.Done) < sharedTasks) spin.SpinOnce(sleep1Threshold: -1);
        }

        /// <summary>The packed KC×NC panel of B at columns jc, depth pc: slabs of NC columns, each its KC panels in order.</summary>
        private T* SharedB(int jc, int pc, int columns) => shared + (long)jc * k + (long)pc * RoundUp(columns, nr);

        private void Compute(int i0, int i1, int j0, int j1)
        {
            bool sharedB = shared != null;
            // Sized by the whole product, not by this part: which parts a thread ends up computing depends on
            // scheduling (first come, first served), and a buffer sized per part would grow, i.e. allocate,
            // whenever a thread happened to take a larger part than it ever had before.
            T* packedB = sharedB ? null : PackBuffers.B<T>((long)KC * Math.Min(NC, RoundUp(n, nr)));
            T* packedA = PackBuffers.A<T>((long)KC * RoundUp(Math.Min(mc, m), mr));
            T* scratch = stackalloc T[mr * nr];
            // Element (i, p) of op(A) is at a[i·aRow + p·aCol]; element (p, j) of op(B) at b[p·bRow + j·bCol].
            long aRow = transposeA ? 1 : lda, aCol = transposeA ? lda : 1;
            long bRow = transposeB ? 1 : ldb, bCol = transposeB ? ldb : 1;
            for (int jc = j0; jc < j1; jc += NC)
            {
                int nc = Math.Min(NC, j1 - jc);
                for (int pc = 0; pc < k; pc += KC)
                {
                    int kc = Math.Min(KC, k - pc);
                    T* panelB = sharedB ? SharedB(jc, pc, nc) : packedB;
                    if (!sharedB) PackB(panelB, b + pc * bRow + jc * bCol, bRow, bCol, kc, nc);
                    for (int ic = i0; ic < i1; ic += mc)
                    {
                        int mcNow = Math.Min(mc, i1 - ic);
                        PackA(packedA, a + ic * aRow + pc * aCol, aRow, aCol, mcNow, kc);
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            int nrNow = Math.Min(nr, nc - jr);
                            T* pb = panelB + (long)jr * kc;
                            for (int ir = 0; ir < mcNow; ir += mr)
                            {
                                int mrNow = Math.Min(mr, mcNow - ir);
                                T* pa = packedA + (long)ir * kc;
                                T* tile = c + (long)(ic + ir) * ldc + jc + jr;
                                if (mrNow == mr && nrNow == nr)
                                {
                                    Kernel(kc, pa, pb, tile, ldc);
                                }
                                else
                                {
                                    // Edge tile: same kernel on a scratch copy, so its bits match a full tile's.
                                    for (int r = 0; r < mrNow; r++)
                                        new Span<T>(tile + (long)r * ldc, nrNow).CopyTo(new Span<T>(scratch + r * nr, nrNow));
                                    Kernel(kc, pa, pb, scratch, nr);
                                    for (int r = 0; r < mrNow; r++)
                                        new Span<T>(scratch + r * nr, nrNow).CopyTo(new Span<T>(tile + (long)r * ldc, nrNow));
                                }
                            }
                        }
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Kernel(int kc, T* pa, T* pb, T* tile, int ld)
        {
            switch (kernel)
            {
                case GemmKernel.Vector512: GemmMicroKernels.Kernel512(kc, pa, pb, tile, ld, alpha); break;
                case GemmKernel.Vector256: GemmMicroKernels.Kernel256(kc, pa, pb, tile, ld, alpha); break;
                default: GemmMicroKernels.KernelVector(kc, pa, pb, tile, ld, alpha); break;
            }
        }

        /// <summary>Packs an mc×kc block of op(A) into MR-row micro-panels (kc steps of MR values), zero-padded.</summary>
        private void PackA(T* dst, T* src, long aRow, long aCol, int rows, int kc)
        {
            for (int ir = 0; ir < rows; ir += mr)
            {
                int mrNow = Math.Min(mr, rows - ir);
                T* block = src + ir * aRow;
                if (aCol == 1)
                {
                    // Rows of A are contiguous over k: a transpose into the panel.
                    if (!PackTranspose.TryPack(dst, mr, block, aRow, mrNow, kc))
                    {
                        for (int r = 0; r < mrNow; r++)
                        {
                            T* row = block + r * aRow;
                            for (int p = 0; p < kc; p++) dst[p * mr + r] = row[p];
                        }
                    }
                    for (int r = mrNow; r < mr; r++)
                        for (int p = 0; p < kc; p++) dst[p * mr + r] = T.Zero;
                }
                else
                {
                    // Columns of op(A) are contiguous (A stored transposed).
                    for (int p = 0; p < kc; p++)
                    {
                        T* column = block + p * aCol;
                        T* d = dst + p * mr;
                        int r = 0;
                        for (; r < mrNow; r++) d[r] = column[r];
                        for (; r < mr; r++) d[r] = T.Zero;
                    }
                }
                dst += (long)kc * mr;
            }
        }

        /// <summary>Packs a kc×nc panel of op(B) into NR-column micro-panels (kc steps of NR values), zero-padded.</summary>
        private void PackB(T* dst, T* src, long bRow, long bCol, int kc, int cols)
        {
            for (int jr = 0; jr < cols; jr += nr)
            {
                int nrNow = Math.Min(nr, cols - jr);
                T* panel = src + jr * bCol;
                if (bCol == 1)
                {
                    // Rows of B are contiguous over n: copy NR-wide slices.
                    for (int p = 0; p < kc; p++)
                    {
                        new Span<T>(panel + p * bRow, nrNow).CopyTo(new Span<T>(dst + p * nr, nrNow));
                        if (nrNow < nr) new Span<T>(dst + p * nr + nrNow, nr - nrNow).Clear();
                    }
                }
                else
                {
                    // B stored transposed: each column of op(B) is contiguous over k.
                    if (!PackTranspose.TryPack(dst, nr, panel, bCol, nrNow, kc))
                    {
                        for (int j = 0; j < nrNow; j++)
                        {
                            T* column = panel + j * bCol;
                            for (int p = 0; p < kc; p++) dst[p * nr + j] = column[p];
                        }
                    }
                    for (int j = nrNow; j < nr; j++)
                        for (int p = 0; p < kc; p++) dst[p * nr + j] = T.Zero;
                }
                dst += (long)kc * nr;
            }
        }

        private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
    }

    /// <summary>The shared-packing counters, each on a cache line of its own: every thread claims and completes tasks
    /// through them while the job's other fields are read on every micro-kernel call.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct PackCounters
    {
        /// <summary>The next task to claim.</summary>
        [FieldOffset(64)] public int Next;

        /// <summary>Tasks finished.</summary>
        [FieldOffset(128)] public int Done;
    }
}

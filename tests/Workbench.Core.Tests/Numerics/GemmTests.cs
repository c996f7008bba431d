using System.Numerics;
using System.Runtime.Intrinsics;
using Workbench.Numerics;

namespace Workbench.Core.Tests.Numerics;

public class GemmTests
{
    /// <summary>Every engine this machine can run: each managed micro-kernel it has in hardware, and OpenBLAS if present.</summary>
    public static IEnumerable<object[]> Engines()
    {
        yield return [GemmBackend.Managed, nameof(GemmKernel.VectorT)];
        if (Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported) yield return [GemmBackend.Managed, nameof(GemmKernel.Vector256)];
        if (ManagedGemm.BestKernel == GemmKernel.Vector512) yield return [GemmBackend.Managed, nameof(GemmKernel.Vector512)];
        if (Gemm.IsOpenBlasAvailable) yield return [GemmBackend.OpenBlas, ManagedGemm.BestKernel.ToString()];
    }

    // (m, n, k): degenerate, odd, straddling micro-tiles, KC = 256, the small/packed threshold and the few-rows
    // paths (m ≤ 16 with more than 2¹⁸ multiply-adds: dot products for A·Bᵀ, streamed rows of B otherwise).
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 96, 32), (3, 17, 65), (17, 3, 130), (65, 130, 17), (1, 1, 300), (130, 65, 300),
        (33, 257, 5), (64, 64, 64), (70, 70, 70), (9, 600, 260), (13, 1001, 70), (1, 2048, 200), (16, 40, 500),
    ];

    [Theory]
    [MemberData(nameof(Engines))]
    public void AllTransposeCombinationsMatchTheReferenceInFloat(GemmBackend backend, string kernelName)
    {
        GemmKernel kernel = Enum.Parse<GemmKernel>(kernelName);
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    CheckAgainstReference<float>(backend, kernel, ta, tb, m, n, k, alpha: 1f, beta: 0f, padding: 0, seed: m * 31 + n);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void AllTransposeCombinationsMatchTheReferenceInDouble(GemmBackend backend, string kernelName)
    {
        GemmKernel kernel = Enum.Parse<GemmKernel>(kernelName);
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    CheckAgainstReference<double>(backend, kernel, ta, tb, m, n, k, alpha: 1.0, beta: 0.0, padding: 0, seed: m * 17 + k);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void StridesAlphaAndBetaFollowBlas(GemmBackend backend, string kernelName)
    {
        GemmKernel kernel = Enum.Parse<GemmKernel>(kernelName);
        foreach (var (m, n, k) in new[] { (3, 17, 65), (130, 65, 300), (1, 96, 32), (40, 50, 200) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    CheckAgainstReference<float>(backend, kernel, ta, tb, m, n, k, alpha: 0.75f, beta: -1.5f, padding: 3, seed: 7);
                    CheckAgainstReference<double>(backend, kernel, ta, tb, m, n, k, alpha: -2.0, beta: 0.5, padding: 5, seed: 8);
                    CheckAgainstReference<double>(backend, kernel, ta, tb, m, n, k, alpha: 1.0, beta: 1.0, padding: 1, seed: 9);
                }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void BetaZeroOverwritesNaN(GemmBackend backend, string kernelName)
    {
        GemmKernel kernel = Enum.Parse<GemmKernel>(kernelName);
        foreach (var (m, n, k) in new[] { (2, 5, 3), (100, 90, 80) })
        {
            var a = Filled<float>(m * k, 1);
            var b = Filled<float>(k * n, 2);
            var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
            Gemm.MultiplyWith(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n, backend, 2, kernel);
            Assert.DoesNotContain(c, float.IsNaN);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void AlphaZeroOrEmptyInnerDimensionOnlyScalesC(GemmBackend backend, string kernelName)
    {
        GemmKernel kernel = Enum.Parse<GemmKernel>(kernelName);
        const int m = 50, n = 60, k = 70;
        var a = Enumerable.Repeat(double.NaN, m * k).ToArray();
        var b = Filled<double>(k * n, 3);
        var c = Filled<double>(m * n, 4);
        var expected = c.Select(x => 2 * x).ToArray();
        Gemm.MultiplyWith(false, false, m, n, k, 0.0, a, k, b, n, 2.0, c, n, backend, 2, kernel);
        Assert.Equal(expected, c);

        Gemm.MultiplyWith(false, false, m, n, 0, 1.0, ReadOnlySpan<double>.Empty, 1, ReadOnlySpan<double>.Empty, n, 0.5, c, n, backend, 2, kernel);
        Assert.Equal(expected.Select(x => 0.5 * x), c);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void ResultsAreBitIdenticalForOneTwoAndThreeThreads(GemmBackend backend, string kernelName)
    {
        GemmKernel kernel = Enum.Parse<GemmKernel>(kernelName);
        // Large enough to be split between threads in both directions (rows for tall C, columns for wide C).
        foreach (var (m, n, k) in new[] { (300, 97, 530), (45, 700, 300), (257, 259, 261), (13, 1001, 70), (16, 2000, 130), (1, 1000, 3000), (3, 700, 900) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    float[] one = Run<float>(backend, kernel, ta, tb, m, n, k, threads: 1);
                    float[] two = Run<float>(backend, kernel, ta, tb, m, n, k, threads: 2);
                    Assert.Equal(one, two);
                    if (backend == GemmBackend.Managed) Assert.Equal(one, Run<float>(backend, kernel, ta, tb, m, n, k, threads: 3));
                    Assert.Equal(Run<double>(backend, kernel, ta, tb, m, n, k, threads: 1), Run<double>(backend, kernel, ta, tb, m, n, k, threads: 2));
                }
    }

    [Fact]
    public void ManagedAndOpenBlasAgree()
    {
        if (!Gemm.IsOpenBlasAvailable) return; // Nothing to compare on a machine without OpenBLAS.
        foreach (var (m, n, k) in new[] { (130, 65, 300), (256, 256, 256), (7, 500, 90) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    double[] managed = Run<double>(GemmBackend.Managed, ManagedGemm.BestKernel, ta, tb, m, n, k, threads: 2);
                    double[] native = Run<double>(GemmBackend.OpenBlas, ManagedGemm.BestKernel, ta, tb, m, n, k, threads: 2);
                    for (int i = 0; i < managed.Length; i++) Assert.Equal(native[i], managed[i], 1e-11);
                    float[] managedF = Run<float>(GemmBackend.Managed, ManagedGemm.BestKernel, ta, tb, m, n, k, threads: 2);
                    float[] nativeF = Run<float>(GemmBackend.OpenBlas, ManagedGemm.BestKernel, ta, tb, m, n, k, threads: 2);
                    for (int i = 0; i < managedF.Length; i++) Assert.Equal(nativeF[i], managedF[i], 2e-3f);
                }
    }

    [Fact]
    public void ConcurrentCallersGetTheSameBitsAsASingleCaller()
    {
        const int m = 200, n = 180, k = 300;
        float[] expected = Run<float>(GemmBackend.Managed, ManagedGemm.BestKernel, false, true, m, n, k, threads: 2);
        // Many products back to back from several threads: the pool's hand-offs (and call-offs) are exercised.
        var results = new float[4 * 25][];
        Parallel.For(0, 4, caller =>
        {
            for (int i = 0; i < 25; i++) results[caller * 25 + i] = Run<float>(GemmBackend.Managed, ManagedGemm.BestKernel, false, true, m, n, k, threads: 2);
        });
        foreach (float[] result in results) Assert.Equal(expected, result);
    }

    [Fact]
    public void OtherElementTypesUseTheReferenceLoop()
    {
        Half[] a = [(Half)1, (Half)2, (Half)3, (Half)4];
        Half[] b = [(Half)5, (Half)6, (Half)7, (Half)8];
        var c = new Half[4];
        Gemm.Multiply(false, false, 2, 2, 2, Half.One, a, 2, b, 2, Half.Zero, c, 2);
        Assert.Equal(new[] { (Half)19, (Half)22, (Half)43, (Half)50 }, c);
    }

    [Fact]
    public void BadArgumentsNameWhatIsWrong()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        var shortA = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 4, 1f, a, 4, b, 2, 0f, c, 2));
        Assert.Contains("a holds 6 elements", shortA.Message);
        var badLd = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, 3, 1f, a, 2, b, 2, 0f, c, 2));
        Assert.Equal("lda", badLd.ParamName);
        var shortC = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 3, 3, 1f, a, 3, new float[9], 3, 0f, c, 3));
        Assert.Contains("c holds 4 elements", shortC.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 2, 3, 1f, a, 3, b, 2, 0f, c, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.ThreadCount = 0);
    }

    [Fact]
    public void BackendIsReported()
    {
        Assert.Contains("thread", Gemm.Description);
        Assert.Contains(Gemm.Backend == GemmBackend.OpenBlas ? "OpenBLAS" : "managed", Gemm.Description);
        if (!Gemm.IsOpenBlasAvailable) Assert.Throws<InvalidOperationException>(() => Gemm.Backend = GemmBackend.OpenBlas);
    }

    private static T[] Run<T>(GemmBackend backend, GemmKernel kernel, bool ta, bool tb, int m, int n, int k, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] a = Filled<T>(m * k, m + 3 * k);
        T[] b = Filled<T>(k * n, n + 5 * k);
        T[] c = Filled<T>(m * n, 11);
        Gemm.MultiplyWith(ta, tb, m, n, k, T.CreateChecked(0.5), a, ta ? m : k, b, tb ? k : n, T.CreateChecked(0.25), c, n, backend, threads, kernel);
        return c;
    }

    /// <summary>
    /// Multiplies with the engine and compares with a double-precision triple loop, allowing the rounding bound of a
    /// length-k dot product (a few ulps times Σ|a||b|) per element; padding columns of C must stay untouched.
    /// </summary>
    private static void CheckAgainstReference<T>(GemmBackend backend, GemmKernel kernel, bool ta, bool tb, int m, int n, int k,
        T alpha, T beta, int padding, int seed) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + padding, ldb = bCols + padding, ldc = n + padding;
        T[] a = Filled<T>(aRows * lda, seed);
        T[] b = Filled<T>(bRows * ldb, seed + 1);
        T[] c = Filled<T>(m * ldc, seed + 2);
        T[] original = (T[])c.Clone();

        Gemm.MultiplyWith(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, backend, 2, kernel);

        double eps = typeof(T) == typeof(float) ? 1.2e-7 : 2.3e-16;
        double al = double.CreateChecked(alpha), be = double.CreateChecked(beta);
        // op(A) as m×k and op(B) as n×k in double, so that the reference loop is a plain dot product.
        var opA = new double[m * k];
        var opBt = new double[n * k];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) opA[i * k + p] = double.CreateChecked(ta ? a[p * lda + i] : a[i * lda + p]);
        for (int j = 0; j < n; j++)
            for (int p = 0; p < k; p++) opBt[j * k + p] = double.CreateChecked(tb ? b[j * ldb + p] : b[p * ldb + j]);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double product = opA[i * k + p] * opBt[j * k + p];
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                double old = double.CreateChecked(original[i * ldc + j]);
                double expected = al * sum + (be == 0 ? 0 : be * old);
                double bound = 4 * (k + 3) * eps * (Math.Abs(al) * magnitude + Math.Abs(be * old)) + 1e-300;
                double actual = double.CreateChecked(c[i * ldc + j]);
                if (Math.Abs(actual - expected) > bound)
                    Assert.Fail($"{backend}/{kernel} {typeof(T).Name} ta={ta} tb={tb} m={m} n={n} k={k} pad={padding}: C[{i},{j}] = {actual}, expected {expected} ± {bound}");
            }
            for (int j = n; j < ldc; j++) Assert.Equal(original[i * ldc + j], c[i * ldc + j]);
        }
    }

    internal static T[] Filled<T>(int count, int seed) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[count];
        for (int i = 0; i < count; i++) values[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return values;
    }
}

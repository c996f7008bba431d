using System.Numerics;
using System.Runtime.Intrinsics;
using Workbench.Numerics;

namespace Workbench.Core.Tests.Numerics;

/// <summary>
/// When C is split into more row strips than threads, B is packed once for the whole product by whichever threads
/// join, and every strip reads that one packing: the results must still be the bits of one thread, whoever packed
/// which panel.
/// </summary>
public class GemmSharedPackingTests
{
    public static IEnumerable<object[]> Kernels()
    {
        yield return [nameof(GemmKernel.VectorT)];
        if (Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported) yield return [nameof(GemmKernel.Vector256)];
        if (ManagedGemm.BestKernel == GemmKernel.Vector512) yield return [nameof(GemmKernel.Vector512)];
    }

    // Tall enough for three or more row strips: two NC-wide slabs of B with a ragged last packing group (n = 2100),
    // two KC panels with a short last one (k = 300), and a B narrower than one packing group (n = 77).
    private static readonly (int M, int N, int K)[] Shapes = [(1600, 2100, 40), (1600, 300, 300), (2100, 77, 130)];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void RowStripsSharingOnePackingOfBGiveTheBitsOfOneThread(string kernelName)
    {
        GemmKernel kernel = Enum.Parse<GemmKernel>(kernelName);
        var (mr, nr, _) = ManagedGemm.Geometry<float>(kernel);
        foreach (var (m, n, k) in Shapes)
        {
            var partition = new CPartition(m, n, k, mr, nr, threads: 2);
            Assert.False(partition.SplitColumns, $"{m}×{n}×{k} should be split into row strips");
            Assert.True(partition.Parts > partition.Threads, $"{m}×{n}×{k} should be split into more parts than threads");
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    float[] one = Run<float>(kernel, ta, tb, m, n, k, threads: 1);
                    foreach (int threads in new[] { 2, 3, 4 }) Assert.Equal(one, Run<float>(kernel, ta, tb, m, n, k, threads));
                    Assert.Equal(Run<double>(kernel, ta, tb, m, n, k, threads: 1), Run<double>(kernel, ta, tb, m, n, k, threads: 2));
                }
        }
    }

    [Fact]
    public void ACallerThatFindsThePoolBusyPacksAllOfBItself()
    {
        const int m = 1600, n = 300, k = 300;
        float[] expected = Run<float>(ManagedGemm.BestKernel, false, false, m, n, k, threads: 1);
        using var holder = new PoolHolder();
        var occupant = new Thread(() => GemmWorkers.Run(holder, parts: 2, threads: 2));
        occupant.Start();
        try
        {
            Assert.True(holder.Started.Wait(TimeSpan.FromSeconds(30)), "the occupying product never started");
            // The pool is held (until released below): this product's parts, and all of B's packing, run on this thread.
            Assert.Equal(expected, Run<float>(ManagedGemm.BestKernel, false, false, m, n, k, threads: 2));
        }
        finally
        {
            holder.Release.Set();
            occupant.Join();
        }
    }

    /// <summary>A product whose parts wait until released, so that the pool stays busy meanwhile.</summary>
    private sealed class PoolHolder : IGemmPartition, IDisposable
    {
        public readonly ManualResetEventSlim Started = new(), Release = new();

        public void Run(int part)
        {
            Started.Set();
            Release.Wait();
        }

        public void Dispose()
        {
            Started.Dispose();
            Release.Dispose();
        }
    }

    private static T[] Run<T>(GemmKernel kernel, bool ta, bool tb, int m, int n, int k, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] a = GemmTests.Filled<T>(m * k, m + 3 * k);
        T[] b = GemmTests.Filled<T>(k * n, n + 5 * k);
        T[] c = GemmTests.Filled<T>(m * n, 11);
        Gemm.MultiplyWith(ta, tb, m, n, k, T.CreateChecked(0.5), a, ta ? m : k, b, tb ? k : n, T.CreateChecked(0.25), c, n, GemmBackend.Managed, threads, kernel);
        return c;
    }
}

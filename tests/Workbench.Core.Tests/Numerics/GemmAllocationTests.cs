using Workbench.Numerics;

namespace Workbench.Core.Tests.Numerics;

[Collection(AllocationMeasurements.Name)]
public class GemmAllocationTests
{
    [Fact]
    public void WarmProductsAllocateNothing()
    {
        var a = GemmTests.Filled<float>(256 * 300, 1);
        var b = GemmTests.Filled<float>(300 * 512, 2);
        var c = new float[256 * 512];
        var small = new float[96];
        void Products()
        {
            Gemm.MultiplyWith(false, true, 256, 512, 300, 1f, a, 300, b, 300, 0f, c, 512, GemmBackend.Managed, 2, ManagedGemm.BestKernel);
            Gemm.MultiplyWith(true, false, 256, 512, 300, 1f, a, 256, b, 512, 1f, c, 512, GemmBackend.Managed, 2, ManagedGemm.BestKernel);
            Gemm.MultiplyWith(false, false, 1, 96, 32, 1f, a, 32, b, 96, 0f, small, 96, GemmBackend.Managed, 2, ManagedGemm.BestKernel);
        }
        // Warm up single-threaded too: a caller that finds the pool busy runs every part itself and needs full-size buffers.
        Products();
        Gemm.MultiplyWith(false, true, 256, 512, 300, 1f, a, 300, b, 300, 0f, c, 512, GemmBackend.Managed, 1, ManagedGemm.BestKernel);
        Gemm.MultiplyWith(true, false, 256, 512, 300, 1f, a, 256, b, 512, 1f, c, 512, GemmBackend.Managed, 1, ManagedGemm.BestKernel);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++) Products();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>
    /// The path the test above may not warm up: its warm-up can find the pool busy or the worker still spinning, and
    /// then the measured loop is the first time this thread wakes a worker that has gone to sleep (ManualResetEventSlim.Set
    /// → Monitor.PulseAll, whose first use on a thread can grow the thread's table of thread statics). Here that order is
    /// forced: the warm-up runs while the pool is held, this thread makes no blocking wait of its own, more thread-static
    /// types are loaded afterwards, and the measured product wakes a worker that is surely asleep.
    /// </summary>
    /// <remarks>
    /// Whether the runtime grows the table depends on when the monitor's per-thread state was first used in the process;
    /// in this test process it already was, so this test also passed before the pool primed its callers — it guards
    /// the path, it did not reproduce the 7,792 bytes.
    /// </remarks>
    [Fact]
    public void WakingASleepingWorkerAllocatesNothingAfterTheFirstProduct()
    {
        const int m = 256, n = 512, k = 300;
        var a = GemmTests.Filled<float>(m * k, 1);
        var b = GemmTests.Filled<float>(k * n, 2);
        var c = new float[m * n];
        void Product(int threads) =>
            Gemm.MultiplyWith(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n, GemmBackend.Managed, threads, ManagedGemm.BestKernel);

        // Warm-up while another product holds the pool: this thread runs every part itself and wakes no worker.
        var holder = new PoolHolder();
        var occupant = new Thread(() => GemmWorkers.Run(holder, parts: 2, threads: 2));
        occupant.Start();
        SpinUntil(() => holder.Started, "the occupying product never started");
        Product(2);
        Product(1);
        holder.Released = true;
        // More thread-static types, loaded after this thread's table was sized (as the rest of a test run does).
        bool loaded = false;
        var loader = new Thread(() => { LoadThreadStaticTypes(); Volatile.Write(ref loaded, true); });
        loader.Start();
        SpinUntil(() => Volatile.Read(ref loaded), "the types were never loaded");
        SpinUntil(GemmWorkers.AllWorkersAsleep, "the workers never went to sleep");
        Thread.Sleep(50); // past the flag, into the blocking wait

        long before = GC.GetAllocatedBytesForCurrentThread();
        Product(2);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        occupant.Join();
        loader.Join();
        Assert.Equal(0, allocated);
    }

    /// <summary>Waits without blocking on a monitor or an event (which would touch the state under test).</summary>
    private static void SpinUntil(Func<bool> condition, string failure)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), failure);
            Thread.Sleep(1);
        }
    }

    private static void LoadThreadStaticTypes()
    {
        Type type = typeof(int);
        for (int i = 0; i < 300; i++)
        {
            type = typeof(List<>).MakeGenericType(type);
            typeof(ThreadStaticMarker<>).MakeGenericType(type).GetMethod(nameof(ThreadStaticMarker<int>.Touch))!.Invoke(null, null);
        }
    }

    private static class ThreadStaticMarker<T>
    {
        [ThreadStatic] private static object? value;

        public static void Touch() => value ??= new object();
    }

    /// <summary>A product whose parts spin until released, so that the pool stays busy meanwhile.</summary>
    private sealed class PoolHolder : IGemmPartition
    {
        private volatile bool started, released;

        public bool Started => started;

        public bool Released { set => released = value; }

        public void Run(int part)
        {
            started = true;
            while (!released) Thread.Sleep(1);
        }
    }
}

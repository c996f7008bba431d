using System.Runtime.ExceptionServices;

namespace Workbench.Numerics;

/// <summary>One share of a partitioned product; <see cref="Run"/> is called once per part index.</summary>
internal interface IGemmPartition
{
    /// <summary>Computes part <paramref name="part"/> of the product.</summary>
    void Run(int part);
}

/// <summary>
/// A small pool of persistent threads for the managed kernel. Unlike Parallel.For it allocates nothing per call,
/// which keeps a training step free of heap allocations once warm.
/// </summary>
/// <remarks>
/// One partitioned product runs on the pool at a time. A caller that finds the pool busy runs every part itself:
/// the partition fixes each element's arithmetic, so the result is the same bits either way.
/// </remarks>
internal static class GemmWorkers
{
    private static readonly Lock Gate = new();
    private static Worker[] workers = [];
    private static IGemmPartition? current;
    private static int pending;
    private static Exception? failure;

    /// <summary>Runs parts 0..<paramref name="parts"/>-1 of <paramref name="job"/>, part 0 on the calling thread.</summary>
    public static void Run(IGemmPartition job, int parts)
    {
        if (parts <= 1 || !Gate.TryEnter())
        {
            for (int part = 0; part < parts; part++) job.Run(part);
            return;
        }
        try
        {
            EnsureWorkers(parts - 1);
            current = job;
            failure = null;
            Volatile.Write(ref pending, parts - 1);
            for (int w = 0; w < parts - 1; w++) workers[w].Start(w + 1);
            try
            {
                job.Run(0);
            }
            finally
            {
                // Never leave while a worker still reads the caller's pinned buffers.
                var spin = new SpinWait();
                while (Volatile.Read(ref pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
                current = null;
            }
            if (failure is { } error) ExceptionDispatchInfo.Capture(error).Throw();
        }
        finally
        {
            Gate.Exit();
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (workers.Length >= count) return;
        var grown = new Worker[count];
        Array.Copy(workers, grown, workers.Length);
        for (int i = workers.Length; i < count; i++) grown[i] = new Worker(i + 1);
        workers = grown;
    }

    private sealed class Worker
    {
        // Spins briefly before blocking: consecutive products in a training step come microseconds apart.
        private readonly ManualResetEventSlim signal = new(false, spinCount: 2000);
        private int part;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Workbench GEMM worker {index}" };
            thread.Start();
        }

        public void Start(int partIndex)
        {
            part = partIndex;
            signal.Set();
        }

        private void Loop()
        {
            while (true)
            {
                signal.Wait();
                signal.Reset();
                try
                {
                    current!.Run(part);
                }
                catch (Exception error)
                {
                    Interlocked.CompareExchange(ref failure, error, null);
                }
                Interlocked.Decrement(ref pending);
            }
        }
    }
}

using System.Runtime.ExceptionServices;

namespace Workbench.Numerics;

/// <summary>A product split into chunks; <see cref="Run"/> is called once per chunk index, on any thread.</summary>
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
/// Threads take chunks first come first served (the caller too). One product runs on the pool at a time; a caller
/// that finds the pool busy runs every chunk itself: the chunks fix each element's arithmetic, so the result is the
/// same bits either way.
/// </remarks>
internal static class GemmWorkers
{
    private static readonly Lock Gate = new();
    private static Worker[] workers = [];
    private static IGemmPartition? current;
    private static int pending, nextPart, partCount;
    private static Exception? failure;

    // How this thread's last Run went: which of the timing-dependent paths it took. Read by the allocation tests, so
    // that a product that allocated says which path it was on. A struct of counters: no heap, no per-call cost to speak of.
    [ThreadStatic] private static RunRecord lastRun;

    /// <summary>The timing-dependent paths this thread's last <see cref="Run"/> took (for tests' failure messages).</summary>
    internal static RunRecord LastRun => lastRun;

    /// <summary>Runs chunks 0..<paramref name="parts"/>-1 of <paramref name="job"/> on up to <paramref name="threads"/> threads, the caller included.</summary>
    public static void Run(IGemmPartition job, int parts, int threads)
    {
        int helpers = Math.Min(threads, parts) - 1;
        lastRun = default;
        if (helpers <= 0 || !Gate.TryEnter())
        {
            lastRun.PoolBusy = helpers > 0;
            lastRun.CallerParts = parts;
            for (int part = 0; part < parts; part++) job.Run(part);
            return;
        }
        try
        {
            EnsureWorkers(helpers);
            current = job;
            failure = null;
            partCount = parts;
            Volatile.Write(ref nextPart, 0);
            Volatile.Write(ref pending, helpers);
            for (int w = 0; w < helpers; w++)
            {
                if (workers[w].Asleep) lastRun.WokeSleepingWorker = true;
                workers[w].Start();
            }
            try
            {
                lastRun.CallerParts = RunChunks(job);
            }
            finally
            {
                // Helpers that have not woken yet (a busy machine) are called off: no need to wait for them.
                for (int w = 0; w < helpers; w++)
                    if (workers[w].TryRevoke())
                    {
                        Interlocked.Decrement(ref pending);
                        lastRun.RevokedWorkers++;
                    }
                // Never leave while a worker still reads the caller's pinned buffers.
                var spin = new SpinWait();
                while (Volatile.Read(ref pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
                lastRun.Spins = spin.Count;
                current = null;
            }
            if (failure is { } error) ExceptionDispatchInfo.Capture(error).Throw();
        }
        finally
        {
            Gate.Exit();
        }
    }

    /// <summary>True when every worker created so far is blocked waiting for work (past its spinning); for tests.</summary>
    internal static bool AllWorkersAsleep()
    {
        foreach (Worker worker in Volatile.Read(ref workers))
            if (!worker.Asleep) return false;
        return true;
    }

    /// <summary>Runs chunks until none is left; returns how many this thread ran.</summary>
    private static int RunChunks(IGemmPartition job)
    {
        int part, ran = 0;
        while ((part = Interlocked.Increment(ref nextPart) - 1) < partCount)
        {
            job.Run(part);
            ran++;
        }
        return ran;
    }

    /// <summary>The paths one <see cref="Run"/> took on the calling thread.</summary>
    internal struct RunRecord
    {
        /// <summary>The pool was running another product, so the caller ran every part itself.</summary>
        public bool PoolBusy;

        /// <summary>A worker had gone to sleep (blocked in its event) and was woken.</summary>
        public bool WokeSleepingWorker;

        /// <summary>Parts the caller ran.</summary>
        public int CallerParts;

        /// <summary>Workers called off because the parts were done before they woke.</summary>
        public int RevokedWorkers;

        /// <summary>Spin iterations the caller waited for the workers to finish (SpinWait.Count).</summary>
        public int Spins;

        /// <inheritdoc/>
        public override readonly string ToString() =>
            $"pool busy {PoolBusy}, woke a sleeping worker {WokeSleepingWorker}, caller ran {CallerParts} parts, revoked {RevokedWorkers}, spun {Spins}";
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
        private const int Idle = 0, Signaled = 1, Running = 2;

        // Spins briefly (see Loop) before blocking: consecutive products in a training step come microseconds apart.
        private const int SpinCount = 2000;
        private readonly ManualResetEventSlim signal = new(false, spinCount: 0);
        private volatile bool asleep;

        // The event only wakes the thread; this state decides whether it takes part (Signaled → Running) or was
        // called off by the caller (Signaled → Idle) because the chunks were all done before it woke.
        private int state;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Workbench GEMM worker {index}" };
            thread.Start();
        }

        public void Start()
        {
            Volatile.Write(ref state, Signaled);
            signal.Set();
        }

        /// <summary>True when the worker had not started yet and now will not.</summary>
        public bool TryRevoke() => Interlocked.CompareExchange(ref state, Idle, Signaled) == Signaled;

        /// <summary>True while the worker is blocked in the event (its spinning is over).</summary>
        public bool Asleep => asleep;

        private void Loop()
        {
            while (true)
            {
                var spin = new SpinWait();
                for (int i = 0; i < SpinCount && !signal.IsSet; i++) spin.SpinOnce(sleep1Threshold: -1);
                if (!signal.IsSet)
                {
                    asleep = true;
                    signal.Wait();
                    asleep = false;
                }
                signal.Reset();
                if (Interlocked.CompareExchange(ref state, Running, Signaled) != Signaled) continue;
                try
                {
                    RunChunks(current!);
                }
                catch (Exception error)
                {
                    Interlocked.CompareExchange(ref failure, error, null);
                }
                Volatile.Write(ref state, Idle);
                Interlocked.Decrement(ref pending);
            }
        }
    }
}

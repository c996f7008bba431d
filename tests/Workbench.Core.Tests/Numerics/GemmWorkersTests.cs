using Workbench.Numerics;

namespace Workbench.Core.Tests.Numerics;

public class GemmWorkersTests
{
    /// <summary>Each chunk waits until the other has started: only two threads at once can get both done.</summary>
    private sealed class Rendezvous : IGemmPartition
    {
        private readonly CountdownEvent started = new(2);
        public readonly int[] ThreadIds = new int[2];
        public bool MetInTime = true;

        public void Run(int part)
        {
            ThreadIds[part] = Environment.CurrentManagedThreadId;
            started.Signal();
            if (!started.Wait(TimeSpan.FromSeconds(2))) MetInTime = false;
        }
    }

    [Fact]
    public void TwoChunksRunOnTwoThreadsAtOnce()
    {
        // The pool serves one product at a time; while another test's product holds it, the caller runs both chunks
        // itself (correct, but not what this test is about), so a few attempts are allowed.
        bool met = false;
        for (int attempt = 0; attempt < 10 && !met; attempt++)
        {
            var job = new Rendezvous();
            GemmWorkers.Run(job, parts: 2, threads: 2);
            met = job.MetInTime && job.ThreadIds[0] != job.ThreadIds[1];
        }
        Assert.True(met, "two chunks never ran on two threads at once");
    }

    [Fact]
    public void OneThreadRunsEveryChunkOnTheCaller()
    {
        var seen = new List<(int Part, int Thread)>();
        GemmWorkers.Run(new Recorder(seen), parts: 5, threads: 1);
        Assert.Equal([0, 1, 2, 3, 4], seen.Select(s => s.Part));
        Assert.All(seen, s => Assert.Equal(Environment.CurrentManagedThreadId, s.Thread));
    }

    private sealed class Recorder(List<(int, int)> seen) : IGemmPartition
    {
        public void Run(int part) => seen.Add((part, Environment.CurrentManagedThreadId));
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using Workbench.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

// Running the two directions of a bidirectional layer side by side, one per core, and the rows of one direction's
// batch in parts side by side over the whole sequence.
public partial class RecurrentLayer<T>
{
    /// <summary>Fewest batch rows worth a part of their own: below that the step's own block split does better.</summary>
    private const int MinRowsPerPart = 8;

    private DirectionJob? _directionJob;
    private RowPartJob? _rowPartJob;

    private sealed class RowPartJob(RecurrentLayer<T> owner) : IGemmPartition
    {
        public int Layer, Direction, Parts, Batch;

        public void Run(int part) => owner.ForwardRows(Layer, Direction, RowBound(part, Parts, Batch), RowBound(part + 1, Parts, Batch),
            owner._buffers.Workspaces[Direction].RowPartSteps[part]);
    }

    // Part boundaries on multiples of four rows, so that each part keeps whole register tiles.
    private static int RowBound(int part, int parts, int batch) => part == parts ? batch : (int)(((long)batch * part / parts + 2) / 4 * 4);

    /// <summary>
    /// Largest W_hh (bytes) whose steps run in row parts: each part reads all of it every step, which stays in a core's
    /// L2 (512 KB on Zen 3, 1 MB on Zen 5) only while it is small; larger ones keep the per-step split of the hidden
    /// units, where each thread reads its own share.
    /// </summary>
    private const long RowPartsMaxWeightBytes = 512 * 1024;

    // How many row parts a direction's forward loop runs in: one unless the kernel's step keeps rows apart (the fused
    // float steps: no scratch shared between rows), two or more threads are allowed and not taken by the directions,
    // W_hh is small and each part gets enough rows. Split this way the threads meet once per direction instead of
    // once per step, which is what a small step's time is mostly made of.
    internal int RowParts(int batch)
    {
        if (RecurrentParallelism.SerialRows || _gemm.SingleThreaded || !_kernel.StepsRowsApart || Environment.ProcessorCount < 2) return 1;
        long weightBytes = (long)Options.GateCount * Options.HiddenSize * Options.HiddenSize * Unsafe.SizeOf<T>();
        if (weightBytes > RowPartsMaxWeightBytes) return 1;
        return Math.Max(1, Math.Min(Gemm.ThreadCount, batch / MinRowsPerPart));
    }

    private void RunRowParts(int layer, int direction, int parts)
    {
        var job = _rowPartJob ??= new RowPartJob(this);
        job.Layer = layer;
        job.Direction = direction;
        job.Parts = parts;
        job.Batch = _packed.Batch;
        _kernel.PrepareRowParts(_buffers.Workspaces[direction], parts);
        // Each part's steps keep to the thread running it; a part is the same arithmetic on any thread.
        _gemm.SingleThreaded = true;
        try
        {
            GemmWorkers.Run(job, parts, parts);
        }
        finally
        {
            _gemm.SingleThreaded = false;
        }
    }

    private sealed class DirectionJob(RecurrentLayer<T> owner) : IDirectionPairWork
    {
        public bool Backward;
        public int Layer;
        public NdArray<T>? First, Second; // h0, c0 (forward) or gradHn, gradCn (backward)

        public void RunDirection(int direction)
        {
            if (Backward) owner.BackwardDirection(Layer, direction, First, Second);
            else owner.ForwardDirection(Layer, direction, First, Second);
        }
    }

    // Both directions at once only where it can pay: two GEMM threads allowed, and the managed GEMM (whose
    // one-thread products give the same bits as its many-thread ones).
    private bool RunsDirectionsInParallel() =>
        !RecurrentParallelism.SerialDirections && Options.NumDirections == 2 && Gemm.ThreadCount >= 2 && Environment.ProcessorCount >= 2 && Gemm.Backend == GemmBackend.Managed;

    private void RunBothDirections(bool backward, int layer, NdArray<T>? first, NdArray<T>? second)
    {
        var job = _directionJob ??= new DirectionJob(this);
        job.Backward = backward;
        job.Layer = layer;
        job.First = first;
        job.Second = second;
        _gemm.SingleThreaded = true;
        try
        {
            DirectionPair.Run(job);
        }
        finally
        {
            _gemm.SingleThreaded = false;
            job.First = job.Second = null;
        }
    }
}

using System.Numerics;
using Workbench.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

// Running the two directions of a bidirectional layer side by side, one per core.
public partial class RecurrentLayer<T>
{
    private DirectionJob? _directionJob;

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

using System.Numerics;
using Workbench.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

// Running the two directions of a bidirectional layer side by side, one per core.
public partial class RecurrentLayer<T>
{
    private DirectionJob? _directionJob;
    private bool _directionsInParallel;  // set while both directions run at once: each product then uses one thread

    // Per-direction temporaries, so both directions can run at once without sharing a buffer.
    private sealed class Workspace
    {
        public T[] Recurrent = [];    // (B, G·H) one step's recurrent product
        public T[] GradGatesIh = [];  // (T, B, G·H) ∂L/∂(input-side pre-activations)
        public T[] GradGatesHh = [];  // (T, B, G·H) ∂L/∂(recurrent-side pre-activations), GRU reset after only
        public T[] GradHidden = [];   // (B, H) running ∂L/∂h
        public T[] GradCell = [];     // (B, H) running ∂L/∂c
        public T[] GradAux = [];      // (B, H) ∂L/∂(r ⊙ h_prev)
        public T[] Scratch = [];      // 3·H row temporaries
    }

    private sealed class DirectionJob(RecurrentLayer<T> owner) : IDirectionPairWork
    {
        public bool Backward;
        public int Layer;
        public NdArray<T>? First, Second; // h0, c0 (forward) or gradHn, gradCn (backward)

        public void RunDirection(int direction) => owner.RunDirectionOfJob(this, direction);
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
        _directionsInParallel = true;
        try
        {
            DirectionPair.Run(job);
        }
        finally
        {
            _directionsInParallel = false;
            job.First = job.Second = null;
        }
    }

    private void RunDirectionOfJob(DirectionJob job, int direction)
    {
        var o = Options;
        int layer = job.Layer, rows = _steps * _batch, D = o.NumDirections, DH = D * o.HiddenSize;
        int inputWidth = layer == 0 ? o.InputSize : DH;
        ReadOnlySpan<T> layerInput = layer == 0 ? _input.AsSpan(0, rows * inputWidth) : _layerOutputs[layer - 1].AsSpan(0, rows * DH);
        if (!job.Backward)
        {
            ForwardDirection(layer, direction, layerInput, inputWidth, job.First, job.Second);
            return;
        }
        ReadOnlySpan<T> gradLayerOutput = layer == o.NumLayers - 1 ? _gradTop.AsSpan(0, rows * DH) : _layerInputGrads[layer + 1].AsSpan(0, rows * DH);
        BackwardDirection(layer, direction, gradLayerOutput, layerInput, inputWidth, job.First, job.Second);
    }

    // Every product of a direction's pass goes through here: while the directions run side by side each product
    // keeps to its own thread (the result is the same bits for any thread count).
    private void Multiply(bool transposeA, bool transposeB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
    {
        if (_directionsInParallel)
            Gemm.MultiplyWith(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmBackend.Managed, 1, ManagedGemm.BestKernel);
        else
            Gemm.Multiply(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}

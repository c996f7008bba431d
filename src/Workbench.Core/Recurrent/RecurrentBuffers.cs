using System.Numerics;

namespace Workbench.Recurrent;

/// <summary>
/// Everything a <see cref="RecurrentLayer{T}"/> keeps between Forward and Backward, and the temporaries of both:
/// declared, allocated and sized here only. Arrays grow on demand and are reused while shapes repeat, so a warm
/// training step allocates nothing. Per (layer, direction) arrays are indexed by k = layer·D + direction; all rows are
/// in sorted order (<see cref="PackedBatch"/>).
/// </summary>
internal sealed class RecurrentBuffers<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly RecurrentLayerOptions _options;
    private readonly RecurrentKernel<T> _kernel;

    /// <summary>(T+1, B, H) every row's state after each step, plus h0 in the boundary slot (slot 0 forward, slot T reverse).</summary>
    public readonly T[][] States;

    /// <summary>(T, B, G·H) the input projection, then the activated gates.</summary>
    public readonly T[][] Gates;

    /// <summary>LSTM: (T+1, B, H) cell states, laid out like <see cref="States"/>.</summary>
    public readonly T[][] Cells;

    /// <summary>LSTM: (T, B, H) tanh(c_t).</summary>
    public readonly T[][] TanhCells;

    /// <summary>GRU: (T, B, H) W_hn h + b_hn (reset after) or r ⊙ h_{t−1} (reset before).</summary>
    public readonly T[][] GruAux;

    /// <summary>Per layer (T, B, D·H) outputs, zero at padded steps.</summary>
    public readonly T[][] LayerOutputs;

    /// <summary>Per layer (T, B, in) ∂L/∂(layer input).</summary>
    public readonly T[][] LayerInputGrads;

    /// <summary>Per direction temporaries.</summary>
    public readonly DirectionWorkspace<T>[] Workspaces = [new(), new()];

    /// <summary>(T, B, I) sorted copy of the input.</summary>
    public T[] Input = [];

    /// <summary>(T, B, D·H) sorted copy of ∂L/∂output.</summary>
    public T[] GradTop = [];

    /// <summary>(T·B) ones: the bias gradients as one product.</summary>
    public T[] Ones = [];

    /// <summary>Dropout: per layer below the top, (T, B, D·H) the mask of the last training Forward, sorted: 0 or 1/(1 − p).</summary>
    public T[][] DropoutMasks = [];

    /// <summary>Dropout: (T, B, D·H) one layer's mask as drawn, in batch order, before sorting.</summary>
    public T[] DropoutDraw = [];

    /// <summary>Empty buffers for a layer of <paramref name="options"/> whose steps <paramref name="kernel"/> computes.</summary>
    public RecurrentBuffers(RecurrentLayerOptions options, RecurrentKernel<T> kernel)
    {
        _options = options;
        _kernel = kernel;
        int count = options.NumLayers * options.NumDirections;
        States = new T[count][];
        Gates = new T[count][];
        Cells = new T[count][];
        TanhCells = new T[count][];
        GruAux = new T[count][];
        LayerOutputs = new T[options.NumLayers][];
        LayerInputGrads = new T[options.NumLayers][];
        for (int k = 0; k < count; k++) States[k] = Gates[k] = Cells[k] = TanhCells[k] = GruAux[k] = [];
        for (int layer = 0; layer < options.NumLayers; layer++) LayerOutputs[layer] = LayerInputGrads[layer] = [];
    }

    /// <summary>Grows every buffer to hold <paramref name="steps"/> × <paramref name="batch"/>.</summary>
    public void Resize(int steps, int batch)
    {
        var o = _options;
        int H = o.HiddenSize, GH = o.GateCount * H, D = o.NumDirections, DH = D * H, L = o.NumLayers;
        int rows = steps * batch;
        Grow(ref Input, rows * o.InputSize);
        Grow(ref GradTop, rows * DH);
        Grow(ref Ones, rows);
        for (int d = 0; d < D; d++)
        {
            DirectionWorkspace<T> w = Workspaces[d];
            Grow(ref w.Recurrent, batch * GH);
            Grow(ref w.GradGatesIh, rows * GH);
            if (_kernel.SeparateRecurrentGradients) Grow(ref w.GradGatesHh, rows * GH);
            Grow(ref w.GradHidden, batch * H);
            Grow(ref w.GradAux, batch * H);
            Grow(ref w.Scratch, 3 * H);
            if (_kernel.HasCellState) Grow(ref w.GradCell, batch * H);
        }
        for (int layer = 0; layer < L; layer++)
        {
            Grow(ref LayerOutputs[layer], rows * DH);
            Grow(ref LayerInputGrads[layer], rows * (layer == 0 ? o.InputSize : DH));
            for (int d = 0; d < D; d++)
            {
                int k = layer * D + d;
                Grow(ref States[k], (steps + 1) * batch * H);
                Grow(ref Gates[k], rows * GH);
                if (_kernel.HasCellState)
                {
                    Grow(ref Cells[k], (steps + 1) * batch * H);
                    Grow(ref TanhCells[k], rows * H);
                }
                if (_kernel.HasStepAux) Grow(ref GruAux[k], rows * H);
            }
        }
        if (o.Dropout > 0 && L > 1)
        {
            if (DropoutMasks.Length == 0) DropoutMasks = [.. Enumerable.Repeat(Array.Empty<T>(), L - 1)];
            for (int layer = 0; layer < L - 1; layer++) Grow(ref DropoutMasks[layer], rows * DH);
            Grow(ref DropoutDraw, rows * DH);
        }
    }

    private static void Grow(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
    }
}

using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

// The public passes: validation, the length sort (packed-sequence order) and the copies in and out of it.
public partial class RecurrentLayer<T>
{
    // Workspace, grown on demand and reused while shapes repeat. Per (layer, direction) k = layer·D + direction.
    private readonly T[][] _states;      // (T+1, B, H): every row's state after each step, plus h0 in the boundary slot
    private readonly T[][] _gates;       // (T, B, G·H): input projection, then the activated gates
    private readonly T[][] _cells;       // LSTM (T+1, B, H) cell states, laid out like _states
    private readonly T[][] _tanhCells;   // LSTM (T, B, H) tanh(c_t)
    private readonly T[][] _gruAux;      // GRU (T, B, H): W_hn h + b_hn (reset after) or r ⊙ h_prev (reset before)
    private readonly T[][] _layerOutputs;    // per layer (T, B, D·H), sorted order, zero at padded steps
    private readonly T[][] _layerInputGrads; // per layer (T, B, in), sorted order
    private T[] _input = [];             // (T, B, I) sorted copy of the input
    private T[] _gradTop = [];           // (T, B, D·H) sorted copy of gradOutput
    private readonly Workspace[] _workspaces = [new(), new()]; // per direction, so the two can run side by side
    private T[] _ones = [];              // (T·B) ones: bias gradients as one GEMM
    private int[] _order = [];           // sorted position → batch index (longest first, stable)
    private int[] _active = [];          // per step t: how many sequences are longer than t
    private int _steps, _batch;
    private bool _cached;
    private RecurrentOutput<T>? _reusedOutput;
    private RecurrentGradients<T>? _reusedGradients;

    /// <summary>
    /// Runs the layer over a sequence batch (PyTorch's <c>forward(input, hx)</c>, with packed-sequence lengths).
    /// </summary>
    /// <param name="input">(T, B, I), time-major as PyTorch with batch_first=False.</param>
    /// <param name="lengths">Optional (B) lengths in 1..T, in any order; steps t ≥ length are padding.</param>
    /// <param name="h0">Optional (L·D, B, H) initial hidden states; zeros when null.</param>
    /// <param name="c0">Optional (L·D, B, H) initial cell states, LSTM only; zeros when null.</param>
    /// <returns>output (T, B, D·H), h_n (L·D, B, H) and, for the LSTM, c_n (L·D, B, H).</returns>
    /// <exception cref="ArgumentException">A shape mismatch, a length outside 1..T, or a NaN/Inf in a tensor.</exception>
    public RecurrentOutput<T> Forward(NdArray<T> input, int[]? lengths = null, NdArray<T>? h0 = null, NdArray<T>? c0 = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = Options;
        bool lstm = o.Kind == RecurrentKind.Lstm;
        if (input.Rank != 3 || input.Shape[2] != o.InputSize)
        {
            string expected = input.Rank == 3 ? $"({input.Shape[0]}, {input.Shape[1]}, {o.InputSize})" : $"(T, B, {o.InputSize})";
            throw new ArgumentException($"Tensor 'input' has shape {NdArray<T>.FormatShape(input.Shape)}, expected {expected}.", nameof(input));
        }
        if (input.Shape[0] < 1 || input.Shape[1] < 1)
            throw new ArgumentException($"Tensor 'input' has shape {NdArray<T>.FormatShape(input.Shape)}: it needs at least one step and one sequence.", nameof(input));
        int steps = input.Shape[0], batch = input.Shape[1], H = o.HiddenSize, LD = o.NumLayers * o.NumDirections;
        if (lengths is not null)
        {
            if (lengths.Length != batch)
                throw new ArgumentException($"Tensor 'lengths' has shape ({lengths.Length},), expected ({batch},) (one length per sequence of the batch).", nameof(lengths));
            for (int b = 0; b < batch; b++)
                if (lengths[b] < 1 || lengths[b] > steps)
                    throw new ArgumentException($"lengths[{b}] = {lengths[b]} is outside 1..{steps} (the input has {steps} steps).", nameof(lengths));
        }
        if (h0 is not null) RequireShape(h0, "h0", LD, batch, H);
        if (c0 is not null)
        {
            if (!lstm) throw new ArgumentException($"Tensor 'c0' was given, but only an LSTM has a cell state (this layer is {o.Kind}).", nameof(c0));
            RequireShape(c0, "c0", LD, batch, H);
        }
        RequireFinite(input, "input");
        if (h0 is not null) RequireFinite(h0, "h0");
        if (c0 is not null) RequireFinite(c0, "c0");

        Prepare(steps, batch, lengths);

        // Sorted copy of the input: position s holds batch entry _order[s].
        int I = o.InputSize;
        var x = _input.AsSpan(0, steps * batch * I);
        for (int t = 0; t < steps; t++)
            for (int s = 0; s < batch; s++)
                input.Data.AsSpan((t * batch + _order[s]) * I, I).CopyTo(x.Slice((t * batch + s) * I, I));

        int D = o.NumDirections;
        for (int layer = 0; layer < o.NumLayers; layer++)
        {
            int inputWidth = layer == 0 ? I : D * H;
            if (RunsDirectionsInParallel())
            {
                RunBothDirections(backward: false, layer, h0, c0);
                continue;
            }
            ReadOnlySpan<T> layerInput = layer == 0 ? x : _layerOutputs[layer - 1].AsSpan(0, steps * batch * inputWidth);
            for (int direction = 0; direction < D; direction++)
                ForwardDirection(layer, direction, layerInput, inputWidth, h0, c0);
        }
        _cached = true;

        var result = OutputArrays(steps, batch);
        int DH = D * H;
        var top = _layerOutputs[o.NumLayers - 1];
        for (int t = 0; t < steps; t++)
            for (int s = 0; s < batch; s++)
                top.AsSpan((t * batch + s) * DH, DH).CopyTo(result.Output.Data.AsSpan((t * batch + _order[s]) * DH, DH));
        for (int k = 0; k < LD; k++)
        {
            int finalSlot = k % D == 1 ? 0 : steps;
            Unsort(_states[k].AsSpan(finalSlot * batch * H, batch * H), result.Hn.Data.AsSpan(k * batch * H, batch * H));
            if (lstm) Unsort(_cells[k].AsSpan(finalSlot * batch * H, batch * H), result.Cn!.Data.AsSpan(k * batch * H, batch * H));
        }
        return result;
    }

    /// <summary>
    /// Back-propagates through time for the last <see cref="Forward"/>: accumulates every parameter's gradient into
    /// <see cref="Parameter{T}.Grad"/> and returns the gradients with respect to input, h0 and c0.
    /// </summary>
    /// <param name="gradOutput">(T, B, D·H) ∂L/∂output; entries at padded steps are ignored (those outputs are constant zero).</param>
    /// <param name="gradHn">Optional (L·D, B, H) ∂L/∂h_n; zeros when null.</param>
    /// <param name="gradCn">Optional (L·D, B, H) ∂L/∂c_n, LSTM only; zeros when null.</param>
    /// <exception cref="InvalidOperationException">No Forward has run.</exception>
    /// <exception cref="ArgumentException">A shape mismatch or a NaN/Inf in a gradient.</exception>
    public RecurrentGradients<T> Backward(NdArray<T> gradOutput, NdArray<T>? gradHn = null, NdArray<T>? gradCn = null)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (!_cached) throw new InvalidOperationException("Backward needs the cache of a Forward call; call Forward first.");
        var o = Options;
        bool lstm = o.Kind == RecurrentKind.Lstm;
        int steps = _steps, batch = _batch, H = o.HiddenSize, D = o.NumDirections, DH = D * H, LD = o.NumLayers * D;
        RequireShape(gradOutput, "gradOutput", steps, batch, DH);
        if (gradHn is not null) RequireShape(gradHn, "gradHn", LD, batch, H);
        if (gradCn is not null)
        {
            if (!lstm) throw new ArgumentException($"Tensor 'gradCn' was given, but only an LSTM has a cell state (this layer is {o.Kind}).", nameof(gradCn));
            RequireShape(gradCn, "gradCn", LD, batch, H);
        }
        RequireFinite(gradOutput, "gradOutput");
        if (gradHn is not null) RequireFinite(gradHn, "gradHn");
        if (gradCn is not null) RequireFinite(gradCn, "gradCn");

        var top = _gradTop.AsSpan(0, steps * batch * DH);
        for (int t = 0; t < steps; t++)
            for (int s = 0; s < batch; s++)
                gradOutput.Data.AsSpan((t * batch + _order[s]) * DH, DH).CopyTo(top.Slice((t * batch + s) * DH, DH));
        _ones.AsSpan(0, steps * batch).Fill(T.One);

        var result = GradientArrays(steps, batch);
        int I = o.InputSize;
        for (int layer = o.NumLayers - 1; layer >= 0; layer--)
        {
            int inputWidth = layer == 0 ? I : DH;
            ReadOnlySpan<T> gradLayerOutput = layer == o.NumLayers - 1 ? top : _layerInputGrads[layer + 1].AsSpan(0, steps * batch * DH);
            ReadOnlySpan<T> layerInput = layer == 0 ? _input.AsSpan(0, steps * batch * I) : _layerOutputs[layer - 1].AsSpan(0, steps * batch * DH);
            Span<T> gradLayerInput = _layerInputGrads[layer].AsSpan(0, steps * batch * inputWidth);
            if (RunsDirectionsInParallel())
                RunBothDirections(backward: true, layer, gradHn, gradCn);
            else
                for (int direction = 0; direction < D; direction++)
                    BackwardDirection(layer, direction, gradLayerOutput, layerInput, inputWidth, gradHn, gradCn);
            for (int direction = 0; direction < D; direction++)
            {
                int k = layer * D + direction;
                InputGradient(layer, direction, inputWidth, gradLayerInput);
                Unsort(_workspaces[direction].GradHidden.AsSpan(0, batch * H), result.H0.Data.AsSpan(k * batch * H, batch * H));
                if (lstm) Unsort(_workspaces[direction].GradCell.AsSpan(0, batch * H), result.C0!.Data.AsSpan(k * batch * H, batch * H));
            }
        }
        var gradInput = _layerInputGrads[0];
        for (int t = 0; t < steps; t++)
            for (int s = 0; s < batch; s++)
                gradInput.AsSpan((t * batch + s) * I, I).CopyTo(result.Input.Data.AsSpan((t * batch + _order[s]) * I, I));
        return result;
    }

    /// <summary>
    /// The activated gates of one layer and direction from the last <see cref="Forward"/>, for gate heatmaps:
    /// (T, B, G·H) packed as PyTorch (LSTM i, f, g, o; GRU r, z, n; RNN h), zero at padded steps. A fresh copy.
    /// </summary>
    /// <exception cref="InvalidOperationException">No Forward has run.</exception>
    public NdArray<T> GateActivations(int layer = 0, bool reverse = false)
    {
        int k = Index(layer, reverse);
        if (!_cached) throw new InvalidOperationException("Gate activations come from a Forward call; call Forward first.");
        int GH = Options.GateCount * Options.HiddenSize;
        var result = NdArray<T>.Zeros(_steps, _batch, GH);
        for (int t = 0; t < _steps; t++)
            for (int s = 0; s < _active[t]; s++)
                _gates[k].AsSpan((t * _batch + s) * GH, GH).CopyTo(result.Data.AsSpan((t * _batch + _order[s]) * GH, GH));
        return result;
    }

    // Sizes the workspace for (steps, batch) and computes the packed-sequence order and active counts.
    private void Prepare(int steps, int batch, int[]? lengths)
    {
        var o = Options;
        int H = o.HiddenSize, GH = o.GateCount * H, D = o.NumDirections, DH = D * H, L = o.NumLayers;
        int rows = steps * batch;
        Grow(ref _input, rows * o.InputSize);
        Grow(ref _gradTop, rows * DH);
        Grow(ref _ones, rows);
        for (int d = 0; d < D; d++)
        {
            Workspace w = _workspaces[d];
            Grow(ref w.Recurrent, batch * GH);
            Grow(ref w.GradGatesIh, rows * GH);
            if (o.Kind == RecurrentKind.Gru && o.ResetPlacement == GruResetPlacement.ResetAfter) Grow(ref w.GradGatesHh, rows * GH);
            Grow(ref w.GradHidden, batch * H);
            Grow(ref w.GradAux, batch * H);
            Grow(ref w.Scratch, 3 * H);
            if (o.Kind == RecurrentKind.Lstm) Grow(ref w.GradCell, batch * H);
        }
        for (int layer = 0; layer < L; layer++)
        {
            Grow(ref _layerOutputs[layer], rows * DH);
            Grow(ref _layerInputGrads[layer], rows * (layer == 0 ? o.InputSize : DH));
            for (int d = 0; d < D; d++)
            {
                int k = layer * D + d;
                Grow(ref _states[k], (steps + 1) * batch * H);
                Grow(ref _gates[k], rows * GH);
                if (o.Kind == RecurrentKind.Lstm)
                {
                    Grow(ref _cells[k], (steps + 1) * batch * H);
                    Grow(ref _tanhCells[k], rows * H);
                }
                if (o.Kind == RecurrentKind.Gru) Grow(ref _gruAux[k], rows * H);
            }
        }
        if (_order.Length != batch) _order = new int[batch];
        if (_active.Length != steps) _active = new int[steps];
        for (int b = 0; b < batch; b++) _order[b] = b;
        if (lengths is null)
        {
            _active.AsSpan().Fill(batch);
        }
        else
        {
            // Stable insertion sort, longest first: the active sequences of every step are then a prefix of the batch.
            for (int i = 1; i < batch; i++)
            {
                int entry = _order[i], j = i - 1;
                while (j >= 0 && lengths[_order[j]] < lengths[entry]) { _order[j + 1] = _order[j]; j--; }
                _order[j + 1] = entry;
            }
            int active = batch;
            for (int t = 0; t < steps; t++)
            {
                while (active > 0 && lengths[_order[active - 1]] <= t) active--;
                _active[t] = active;
            }
        }
        _steps = steps;
        _batch = batch;
    }

    private RecurrentOutput<T> OutputArrays(int steps, int batch)
    {
        var o = Options;
        int LD = o.NumLayers * o.NumDirections, H = o.HiddenSize;
        bool lstm = o.Kind == RecurrentKind.Lstm;
        var reused = _reusedOutput;
        if (o.ReuseOutputs && reused is not null && reused.Output.Shape[0] == steps && reused.Output.Shape[1] == batch) return reused;
        var result = new RecurrentOutput<T>(
            NdArray<T>.Zeros(steps, batch, o.NumDirections * H),
            NdArray<T>.Zeros(LD, batch, H),
            lstm ? NdArray<T>.Zeros(LD, batch, H) : null);
        if (o.ReuseOutputs) _reusedOutput = result;
        return result;
    }

    private RecurrentGradients<T> GradientArrays(int steps, int batch)
    {
        var o = Options;
        int LD = o.NumLayers * o.NumDirections, H = o.HiddenSize;
        bool lstm = o.Kind == RecurrentKind.Lstm;
        var reused = _reusedGradients;
        if (o.ReuseOutputs && reused is not null && reused.Input.Shape[0] == steps && reused.Input.Shape[1] == batch) return reused;
        var result = new RecurrentGradients<T>(
            NdArray<T>.Zeros(steps, batch, o.InputSize),
            NdArray<T>.Zeros(LD, batch, H),
            lstm ? NdArray<T>.Zeros(LD, batch, H) : null);
        if (o.ReuseOutputs) _reusedGradients = result;
        return result;
    }

    // Copies (B, H) rows in sorted order to batch order.
    private void Unsort(ReadOnlySpan<T> sorted, Span<T> destination)
    {
        int H = Options.HiddenSize;
        for (int s = 0; s < _batch; s++) sorted.Slice(s * H, H).CopyTo(destination.Slice(_order[s] * H, H));
    }

    // Copies the (B, H) block k of an (L·D, B, H) tensor into sorted order; zeros when absent.
    private void LoadSorted(NdArray<T>? source, int k, Span<T> destination)
    {
        if (source is null) { destination.Clear(); return; }
        int H = Options.HiddenSize;
        for (int s = 0; s < _batch; s++)
            source.Data.AsSpan((k * _batch + _order[s]) * H, H).CopyTo(destination.Slice(s * H, H));
    }

    // NdArray.RequireShape takes a params array; this three-axis check allocates only when it throws.
    private static void RequireShape(NdArray<T> tensor, string name, int d0, int d1, int d2)
    {
        var shape = tensor.Shape;
        if (shape.Length != 3 || shape[0] != d0 || shape[1] != d1 || shape[2] != d2) tensor.RequireShape(name, d0, d1, d2);
    }

    private static void Grow(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
    }

    private static void RequireFinite(NdArray<T> tensor, string name)
    {
        int first = tensor.IndexOfNonFinite();
        if (first < 0) return;
        throw new ArgumentException(
            $"Tensor '{name}' of shape {NdArray<T>.FormatShape(tensor.Shape)} holds {tensor.Data[first]} at index {NdArray<T>.FormatShape(tensor.Unravel(first))}; every element must be finite.",
            name);
    }
}

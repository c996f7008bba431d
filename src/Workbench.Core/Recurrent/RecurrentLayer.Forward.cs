using System.Numerics;
using System.Numerics.Tensors;
using Workbench.Tensors;

namespace Workbench.Recurrent;

// The forward pass: checks, the length sort, then per layer and direction the loop over time that drives the kernel.
public partial class RecurrentLayer<T>
{
    /// <summary>
    /// Runs the layer over a sequence batch (PyTorch's <c>forward(input, hx)</c>, with packed-sequence lengths).
    /// </summary>
    /// <param name="input">(T, B, I), time-major as PyTorch with batch_first=False; (B, T, I) with <see cref="RecurrentLayerOptions.BatchFirst"/>.</param>
    /// <param name="lengths">Optional (B) lengths in 1..T, in any order; steps t ≥ length are padding.</param>
    /// <param name="h0">Optional (L·D, B, H) initial hidden states, (L·D, B, P) for a projected LSTM; zeros when null.</param>
    /// <param name="c0">Optional (L·D, B, H) initial cell states, LSTM only; zeros when null.</param>
    /// <returns>output (T, B, D·H) ((B, T, D·H) batch-first), h_n (L·D, B, H) and, for the LSTM, c_n (L·D, B, H); P replaces H in output and h_n of a projected LSTM.</returns>
    /// <exception cref="ArgumentException">A shape mismatch, a length outside 1..T, or a NaN/Inf in a tensor.</exception>
    public RecurrentOutput<T> Forward(NdArray<T> input, int[]? lengths = null, NdArray<T>? h0 = null, NdArray<T>? c0 = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = Options;
        bool lstm = o.Kind == RecurrentKind.Lstm;
        if (input.Rank != 3 || input.Shape[2] != o.InputSize)
        {
            string expected = input.Rank == 3 ? $"({input.Shape[0]}, {input.Shape[1]}, {o.InputSize})" : o.BatchFirst ? $"(B, T, {o.InputSize}) (batch_first)" : $"(T, B, {o.InputSize})";
            throw new ArgumentException($"Tensor 'input' has shape {NdArray<T>.FormatShape(input.Shape)}, expected {expected}.", nameof(input));
        }
        if (input.Shape[0] < 1 || input.Shape[1] < 1)
            throw new ArgumentException($"Tensor 'input' has shape {NdArray<T>.FormatShape(input.Shape)}: it needs at least one step and one sequence.", nameof(input));
        int steps = input.Shape[o.BatchFirst ? 1 : 0], batch = input.Shape[o.BatchFirst ? 0 : 1], H = o.HiddenSize, R = o.StateSize, LD = o.NumLayers * o.NumDirections;
        if (lengths is not null)
        {
            if (lengths.Length != batch)
                throw new ArgumentException($"Tensor 'lengths' has shape ({lengths.Length},), expected ({batch},) (one length per sequence of the batch).", nameof(lengths));
            for (int b = 0; b < batch; b++)
                if (lengths[b] < 1 || lengths[b] > steps)
                    throw new ArgumentException($"lengths[{b}] = {lengths[b]} is outside 1..{steps} (the input has {steps} steps).", nameof(lengths));
        }
        if (h0 is not null) RequireShape(h0, "h0", LD, batch, R);
        if (c0 is not null)
        {
            if (!lstm) throw new ArgumentException($"Tensor 'c0' was given, but only an LSTM has a cell state (this layer is {o.Kind}).", nameof(c0));
            RequireShape(c0, "c0", LD, batch, H);
        }
        RequireFinite(input, "input");
        if (h0 is not null) RequireFinite(h0, "h0");
        if (c0 is not null) RequireFinite(c0, "c0");

        _buffers.Resize(steps, batch);
        _packed.Pack(steps, batch, lengths);
        int I = o.InputSize, D = o.NumDirections, DR = D * R;
        if (o.BatchFirst) _packed.SortBatchFirst<T>(input.Data, _buffers.Input.AsSpan(0, steps * batch * I), I);
        else _packed.Sort<T>(input.Data, _buffers.Input.AsSpan(0, steps * batch * I), I);
        bool dropout = DropsOut;

        for (int layer = 0; layer < o.NumLayers; layer++)
        {
            if (RunsDirectionsInParallel())
                RunBothDirections(backward: false, layer, h0, c0);
            else
                for (int direction = 0; direction < D; direction++)
                    ForwardDirection(layer, direction, h0, c0);
            if (dropout && layer < o.NumLayers - 1) DropLayerOutput(layer);
        }
        _cached = true;
        _droppedOut = dropout;

        var result = OutputArrays(steps, batch);
        if (o.BatchFirst) _packed.UnsortBatchFirst<T>(_buffers.LayerOutputs[o.NumLayers - 1], result.Output.Data, DR);
        else _packed.Unsort<T>(_buffers.LayerOutputs[o.NumLayers - 1], result.Output.Data, DR);
        for (int k = 0; k < LD; k++)
        {
            // The final state of the reverse direction is the one after its last step, t = 0: slot 0.
            int finalSlot = k % D == 1 ? 0 : steps;
            _packed.UnsortRows<T>(_buffers.States[k].AsSpan(finalSlot * batch * R, batch * R), result.Hn.Data.AsSpan(k * batch * R, batch * R), R);
            if (lstm) _packed.UnsortRows<T>(_buffers.Cells[k].AsSpan(finalSlot * batch * H, batch * H), result.Cn!.Data.AsSpan(k * batch * H, batch * H), H);
        }
        return result;
    }

    // The input layer `layer` reads, sorted: the input for layer 0, the outputs of the layer below otherwise.
    private ReadOnlySpan<T> LayerInput(int layer, out int inputWidth)
    {
        int rows = _packed.Steps * _packed.Batch;
        inputWidth = layer == 0 ? Options.InputSize : OutputSize;
        return layer == 0 ? _buffers.Input.AsSpan(0, rows * inputWidth) : _buffers.LayerOutputs[layer - 1].AsSpan(0, rows * inputWidth);
    }

    // One direction of one layer over all steps, on the sorted batch (active sequences are a prefix).
    private void ForwardDirection(int layer, int direction, NdArray<T>? h0, NdArray<T>? c0)
    {
        if (_projection is not null)
        {
            ForwardProjectedDirection(layer, direction, h0, c0);
            return;
        }
        var o = Options;
        ReadOnlySpan<T> x = LayerInput(layer, out int inputWidth);
        int k = layer * o.NumDirections + direction, H = o.HiddenSize, GH = o.GateCount * H;
        int steps = _packed.Steps, batch = _packed.Batch, rows = steps * batch, bh = batch * H;
        bool reverse = direction == 1, cellState = _kernel.HasCellState;
        DirectionWorkspace<T> w = _buffers.Workspaces[direction];
        ReadOnlySpan<T> wih = _weightIh[k].Value.Data, whh = _weightHh[k].Value.Data;
        ReadOnlySpan<T> bih = _biasIh[k] is { } pbi ? pbi.Value.Data : default;

        // The input side of every gate at every step in one product: (T·B, in) × W_ihᵀ → (T·B, G·H).
        Span<T> gates = _buffers.Gates[k].AsSpan(0, rows * GH);
        if (!_kernel.ProjectInput(w, x, rows, inputWidth, wih, gates))
            _gemm.Multiply(false, true, rows, GH, inputWidth, T.One, x, inputWidth, wih, inputWidth, T.Zero, gates, GH);
        if (!bih.IsEmpty && !_kernel.AddsInputBias) AddRowVector(gates, rows, GH, bih);
        _kernel.BeginDirection(w, whh);

        // h0 (and c0) go in the boundary slot the direction starts from.
        Span<T> states = _buffers.States[k].AsSpan(0, (steps + 1) * bh);
        _packed.SortRows(h0?.Data, k, states.Slice((reverse ? steps : 0) * bh, bh), H);
        Span<T> cells = cellState ? _buffers.Cells[k].AsSpan(0, (steps + 1) * bh) : default;
        if (cellState) _packed.SortRows(c0?.Data, k, cells.Slice((reverse ? steps : 0) * bh, bh), H);

        int parts = RowParts(batch);
        if (parts > 1) RunRowParts(layer, direction, parts);
        else ForwardRows(layer, direction, 0, batch, stepJob: null);
    }

    // The loop over time for the sorted rows r0..r1 of one direction (with a row part's fused-step object, or null
    // for the whole batch), the input side and h0 already in place. Rows never meet in a step, so disjoint row ranges can run this loop side by
    // side for the whole sequence.
    private void ForwardRows(int layer, int direction, int r0, int r1, object? stepJob)
    {
        var o = Options;
        int D = o.NumDirections, k = layer * D + direction, H = o.HiddenSize, GH = o.GateCount * H, DH = D * H;
        int steps = _packed.Steps, batch = _packed.Batch, rows = steps * batch, bh = batch * H, bgh = batch * GH, width = r1 - r0;
        bool reverse = direction == 1, cellState = _kernel.HasCellState, aux = _kernel.HasStepAux;
        DirectionWorkspace<T> w = _buffers.Workspaces[direction];
        ReadOnlySpan<T> whh = _weightHh[k].Value.Data;
        ReadOnlySpan<T> bih = _biasIh[k] is { } pbi ? pbi.Value.Data : default;
        ReadOnlySpan<T> bhh = _biasHh[k] is { } pbh ? pbh.Value.Data : default;
        Span<T> gates = _buffers.Gates[k].AsSpan(0, rows * GH);
        Span<T> states = _buffers.States[k].AsSpan(0, (steps + 1) * bh);
        Span<T> cells = cellState ? _buffers.Cells[k].AsSpan(0, (steps + 1) * bh) : default;
        Span<T> output = _buffers.LayerOutputs[layer].AsSpan(0, rows * DH);

        for (int step = 0; step < steps; step++)
        {
            int t = reverse ? steps - 1 - step : step;
            // Active rows are a prefix of the sorted batch: n of this range's rows run at this step.
            int n = Math.Clamp(_packed.Active(t) - r0, 0, width);
            int prev = reverse ? t + 1 : t, next = reverse ? t : t + 1;
            ReadOnlySpan<T> hPrev = states.Slice(prev * bh + r0 * H, width * H);
            Span<T> hNext = states.Slice(next * bh + r0 * H, width * H);
            // Sequences already finished (forward) or not yet started (reverse) carry their state unchanged.
            hPrev.Slice(n * H).CopyTo(hNext.Slice(n * H));
            if (cellState) cells.Slice(prev * bh + (r0 + n) * H, (width - n) * H).CopyTo(cells.Slice(next * bh + (r0 + n) * H, (width - n) * H));
            if (n > 0)
            {
                var stepData = new ForwardStep<T>
                {
                    Gates = gates.Slice(t * bgh + r0 * GH, n * GH),
                    Active = n,
                    StepJob = stepJob,
                    PreviousState = hPrev,
                    State = hNext,
                    PreviousCell = cellState ? cells.Slice(prev * bh + r0 * H, width * H) : default,
                    Cell = cellState ? cells.Slice(next * bh + r0 * H, width * H) : default,
                    TanhCell = cellState ? _buffers.TanhCells[k].AsSpan(t * bh + r0 * H, width * H) : default,
                    Aux = aux ? _buffers.GruAux[k].AsSpan(t * bh + r0 * H, width * H) : default,
                    WeightHh = whh,
                    BiasHh = bhh,
                    BiasIh = bih,
                };
                _kernel.Forward(w, in stepData);
            }
            for (int r = 0; r < width; r++)
            {
                Span<T> destination = output.Slice((t * batch + r0 + r) * DH + direction * H, H);
                if (r < n) hNext.Slice(r * H, H).CopyTo(destination);
                else destination.Clear();
            }
        }
    }

    private RecurrentOutput<T> OutputArrays(int steps, int batch)
    {
        var o = Options;
        int LD = o.NumLayers * o.NumDirections, H = o.HiddenSize, R = o.StateSize;
        bool lstm = o.Kind == RecurrentKind.Lstm;
        var reused = _reusedOutput;
        int first = o.BatchFirst ? batch : steps, second = o.BatchFirst ? steps : batch;
        if (o.ReuseOutputs && reused is not null && reused.Output.Shape[0] == first && reused.Output.Shape[1] == second) return reused;
        var result = new RecurrentOutput<T>(
            NdArray<T>.Zeros(first, second, o.NumDirections * R),
            NdArray<T>.Zeros(LD, batch, R),
            lstm ? NdArray<T>.Zeros(LD, batch, H) : null);
        if (o.ReuseOutputs) _reusedOutput = result;
        return result;
    }

    private static void AddRowVector(Span<T> matrix, int rows, int columns, ReadOnlySpan<T> vector)
    {
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(matrix.Slice(r * columns, columns), vector, matrix.Slice(r * columns, columns));
    }
}

using System.Numerics;
using System.Numerics.Tensors;
using Workbench.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

// Back-propagation through time: per layer (top first) and direction, the loop over time that drives the kernel
// backwards, then the weight, bias and input gradients of all steps at once.
public partial class RecurrentLayer<T>
{
    /// <summary>
    /// Back-propagates through time for the last <see cref="Forward"/>: accumulates every parameter's gradient into
    /// <see cref="Parameter{T}.Grad"/> and returns the gradients with respect to input, h0 and c0.
    /// </summary>
    /// <param name="gradOutput">(T, B, D·H) ∂L/∂output ((B, T, D·H) batch-first; P replaces H for a projected LSTM); entries at padded steps are ignored (those outputs are constant zero).</param>
    /// <param name="gradHn">Optional (L·D, B, H) ∂L/∂h_n, (L·D, B, P) for a projected LSTM; zeros when null.</param>
    /// <param name="gradCn">Optional (L·D, B, H) ∂L/∂c_n, LSTM only; zeros when null.</param>
    /// <exception cref="InvalidOperationException">No Forward has run.</exception>
    /// <exception cref="ArgumentException">A shape mismatch or a NaN/Inf in a gradient.</exception>
    public RecurrentGradients<T> Backward(NdArray<T> gradOutput, NdArray<T>? gradHn = null, NdArray<T>? gradCn = null)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (!_cached) throw new InvalidOperationException("Backward needs the cache of a Forward call; call Forward first.");
        var o = Options;
        bool lstm = o.Kind == RecurrentKind.Lstm;
        int steps = _packed.Steps, batch = _packed.Batch, H = o.HiddenSize, R = o.StateSize, D = o.NumDirections, DR = D * R, LD = o.NumLayers * D;
        if (o.BatchFirst) RequireShape(gradOutput, "gradOutput", batch, steps, DR);
        else RequireShape(gradOutput, "gradOutput", steps, batch, DR);
        if (gradHn is not null) RequireShape(gradHn, "gradHn", LD, batch, R);
        if (gradCn is not null)
        {
            if (!lstm) throw new ArgumentException($"Tensor 'gradCn' was given, but only an LSTM has a cell state (this layer is {o.Kind}).", nameof(gradCn));
            RequireShape(gradCn, "gradCn", LD, batch, H);
        }
        RequireFinite(gradOutput, "gradOutput");
        if (gradHn is not null) RequireFinite(gradHn, "gradHn");
        if (gradCn is not null) RequireFinite(gradCn, "gradCn");

        if (o.BatchFirst) _packed.SortBatchFirst<T>(gradOutput.Data, _buffers.GradTop.AsSpan(0, steps * batch * DR), DR);
        else _packed.Sort<T>(gradOutput.Data, _buffers.GradTop.AsSpan(0, steps * batch * DR), DR);
        _buffers.Ones.AsSpan(0, steps * batch).Fill(T.One);

        var result = GradientArrays(steps, batch);
        int I = o.InputSize;
        for (int layer = o.NumLayers - 1; layer >= 0; layer--)
        {
            if (RunsDirectionsInParallel())
                RunBothDirections(backward: true, layer, gradHn, gradCn);
            else
                for (int direction = 0; direction < D; direction++)
                    BackwardDirection(layer, direction, gradHn, gradCn);
            int inputWidth = layer == 0 ? I : DR;
            Span<T> gradLayerInput = _buffers.LayerInputGrads[layer].AsSpan(0, steps * batch * inputWidth);
            for (int direction = 0; direction < D; direction++)
            {
                int k = layer * D + direction;
                InputGradient(layer, direction, inputWidth, gradLayerInput);
                DirectionWorkspace<T> w = _buffers.Workspaces[direction];
                _packed.UnsortRows<T>(w.GradHidden.AsSpan(0, batch * R), result.H0.Data.AsSpan(k * batch * R, batch * R), R);
                if (lstm) _packed.UnsortRows<T>(w.GradCell.AsSpan(0, batch * H), result.C0!.Data.AsSpan(k * batch * H, batch * H), H);
            }
            if (_droppedOut && layer > 0) DropLayerOutputGradient(layer - 1);
        }
        if (o.BatchFirst) _packed.UnsortBatchFirst<T>(_buffers.LayerInputGrads[0], result.Input.Data, I);
        else _packed.Unsort<T>(_buffers.LayerInputGrads[0], result.Input.Data, I);
        return result;
    }

    // The gradient reaching layer `layer`'s outputs, sorted: ∂L/∂output at the top, ∂L/∂(input) of the layer above otherwise.
    private ReadOnlySpan<T> GradLayerOutput(int layer)
    {
        int rows = _packed.Steps * _packed.Batch;
        return layer == Options.NumLayers - 1 ? _buffers.GradTop.AsSpan(0, rows * OutputSize) : _buffers.LayerInputGrads[layer + 1].AsSpan(0, rows * OutputSize);
    }

    private void BackwardDirection(int layer, int direction, NdArray<T>? gradHn, NdArray<T>? gradCn)
    {
        if (_projection is not null)
        {
            BackwardProjectedDirection(layer, direction, gradHn, gradCn);
            return;
        }
        var o = Options;
        ReadOnlySpan<T> gradLayerOutput = GradLayerOutput(layer);
        ReadOnlySpan<T> x = LayerInput(layer, out int inputWidth);
        int D = o.NumDirections, k = layer * D + direction, H = o.HiddenSize, GH = o.GateCount * H, DH = D * H;
        int steps = _packed.Steps, batch = _packed.Batch, rows = steps * batch, bh = batch * H, bgh = batch * GH;
        bool reverse = direction == 1, cellState = _kernel.HasCellState, aux = _kernel.HasStepAux, separate = _kernel.SeparateRecurrentGradients;
        DirectionWorkspace<T> w = _buffers.Workspaces[direction];
        ReadOnlySpan<T> whh = _weightHh[k].Value.Data;
        ReadOnlySpan<T> gates = _buffers.Gates[k].AsSpan(0, rows * GH);
        ReadOnlySpan<T> states = _buffers.States[k].AsSpan(0, (steps + 1) * bh);
        ReadOnlySpan<T> cells = cellState ? _buffers.Cells[k].AsSpan(0, (steps + 1) * bh) : default;

        Span<T> gradIh = w.GradGatesIh.AsSpan(0, rows * GH);
        Span<T> gradHh = separate ? w.GradGatesHh.AsSpan(0, rows * GH) : gradIh;
        Span<T> dh = w.GradHidden.AsSpan(0, bh);
        Span<T> dc = cellState ? w.GradCell.AsSpan(0, bh) : default;
        _packed.SortRows(gradHn?.Data, k, dh, H);
        if (cellState) _packed.SortRows(gradCn?.Data, k, dc, H);

        for (int step = steps - 1; step >= 0; step--)
        {
            int t = reverse ? steps - 1 - step : step;
            int n = _packed.Active(t);
            int prev = reverse ? t + 1 : t;
            gradIh.Slice(t * bgh + n * GH, (batch - n) * GH).Clear();
            if (separate) gradHh.Slice(t * bgh + n * GH, (batch - n) * GH).Clear();
            if (n == 0) continue;
            // Rows past n are padding at this step: their output is constant zero and their state passes through.
            for (int r = 0; r < n; r++)
            {
                Span<T> dhr = dh.Slice(r * H, H);
                TensorPrimitives.Add(dhr, gradLayerOutput.Slice((t * batch + r) * DH + direction * H, H), dhr);
            }
            var stepData = new BackwardStep<T>
            {
                Gates = gates.Slice(t * bgh, n * GH),
                GradInputSide = gradIh.Slice(t * bgh, n * GH),
                GradRecurrentSide = gradHh.Slice(t * bgh, n * GH),
                Active = n,
                GradState = dh,
                GradCell = dc,
                PreviousState = states.Slice(prev * bh, bh),
                PreviousCell = cellState ? cells.Slice(prev * bh, bh) : default,
                TanhCell = cellState ? _buffers.TanhCells[k].AsSpan(t * bh, bh) : default,
                Aux = aux ? _buffers.GruAux[k].AsSpan(t * bh, bh) : default,
                WeightHh = whh,
            };
            _kernel.Backward(w, in stepData);
        }

        // Weight and bias gradients of all steps at once; rows of padded steps hold zero gradients.
        Span<T> gWih = _weightIh[k].Grad.Data, gWhh = _weightHh[k].Grad.Data;
        _gemm.Multiply(true, false, GH, inputWidth, rows, T.One, gradIh, GH, x, inputWidth, T.One, gWih, inputWidth);
        ReadOnlySpan<T> previousStates = states.Slice((reverse ? 1 : 0) * bh, rows * H);
        _kernel.WeightHhGradient(gradHh, previousStates, aux ? _buffers.GruAux[k].AsSpan(0, rows * H) : default, rows, gWhh);
        if (_biasIh[k] is { } bih && _biasHh[k] is { } bhh)
        {
            ReadOnlySpan<T> ones = _buffers.Ones.AsSpan(0, rows);
            _gemm.Multiply(false, false, 1, GH, rows, T.One, ones, rows, gradIh, GH, T.One, bih.Grad.Data, GH);
            _gemm.Multiply(false, false, 1, GH, rows, T.One, ones, rows, gradHh, GH, T.One, bhh.Grad.Data, GH);
        }
    }

    // ∂L/∂input of one layer from one direction's gate gradients: direction 0 sets it, direction 1 adds to it, in
    // that order, so the sum is the same whether the directions ran one after the other or side by side.
    private void InputGradient(int layer, int direction, int inputWidth, Span<T> gradLayerInput)
    {
        int k = layer * Options.NumDirections + direction, GH = Options.GateCount * Options.HiddenSize, rows = _packed.Steps * _packed.Batch;
        ReadOnlySpan<T> gradIh = _buffers.Workspaces[direction].GradGatesIh.AsSpan(0, rows * GH);
        Gemm.Multiply(false, false, rows, inputWidth, GH, T.One, gradIh, GH, _weightIh[k].Value.Data, inputWidth,
            direction == 0 ? T.Zero : T.One, gradLayerInput, inputWidth);
    }

    private RecurrentGradients<T> GradientArrays(int steps, int batch)
    {
        var o = Options;
        int LD = o.NumLayers * o.NumDirections, H = o.HiddenSize, R = o.StateSize;
        bool lstm = o.Kind == RecurrentKind.Lstm;
        var reused = _reusedGradients;
        int first = o.BatchFirst ? batch : steps, second = o.BatchFirst ? steps : batch;
        if (o.ReuseOutputs && reused is not null && reused.Input.Shape[0] == first && reused.Input.Shape[1] == second) return reused;
        var result = new RecurrentGradients<T>(
            NdArray<T>.Zeros(first, second, o.InputSize),
            NdArray<T>.Zeros(LD, batch, R),
            lstm ? NdArray<T>.Zeros(LD, batch, H) : null);
        if (o.ReuseOutputs) _reusedGradients = result;
        return result;
    }
}

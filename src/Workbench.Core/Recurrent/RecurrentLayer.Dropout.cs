using System.Numerics;
using System.Numerics.Tensors;
using Workbench.Tensors;

namespace Workbench.Recurrent;

// Dropout between stacked layers (RecurrentLayerOptions.Dropout): the masks, where they come from and how they
// scale the forward and backward passes.
public partial class RecurrentLayer<T>
{
    private ulong _dropoutState;          // SplitMix64 state of the layer's own mask stream
    private bool _droppedOut;             // whether the last Forward applied masks (Backward applies the same ones)

    /// <summary>
    /// Training mode, as PyTorch's <c>module.train()</c> / <c>module.eval()</c>: dropout between layers
    /// (<see cref="RecurrentLayerOptions.Dropout"/>) acts only while this is true (the default, as in PyTorch).
    /// Nothing else depends on it.
    /// </summary>
    public bool Training { get; set; } = true;

    /// <summary>
    /// Restarts the layer's dropout mask stream from <paramref name="seed"/> (the constructor starts it from
    /// <see cref="RecurrentLayerOptions.Seed"/>). Masks are drawn on the calling thread, element by element in
    /// (T, B, D·H) time-major batch order, one layer after the other, so a run is reproducible from the seed and does
    /// not depend on the thread count, on batch_first or on which path ran the directions.
    /// </summary>
    public void SeedDropout(int seed) => _dropoutState = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + 0xD1B54A32D192ED03UL);

    /// <summary>
    /// Testing hook: when set, a training Forward uses these masks instead of drawing: one (T, B, D·H) array per layer
    /// below the top, time-major in batch order, each element 1 (keep) or 0 (drop); kept elements are scaled by
    /// 1/(1 − p) as drawn ones are. The stream does not advance.
    /// </summary>
    internal NdArray<T>[]? DropoutMaskOverride { get; set; }

    /// <summary>The mask the last training Forward applied to layer <paramref name="layer"/>'s output, (T, B, D·H) time-major in batch order, 0 or 1/(1 − p).</summary>
    internal NdArray<T> DropoutMask(int layer)
    {
        if (!_droppedOut) throw new InvalidOperationException("The last Forward applied no dropout.");
        var mask = NdArray<T>.Zeros(_packed.Steps, _packed.Batch, OutputSize);
        _packed.Unsort<T>(_buffers.DropoutMasks[layer], mask.Data, OutputSize);
        return mask;
    }

    // Whether this Forward drops: training, p > 0 and a layer above the first to feed.
    private bool DropsOut => Training && Options.Dropout > 0 && Options.NumLayers > 1;

    // After layer `layer` (not the top) ran: draws its mask and scales its output in place, which is what the layer
    // above reads in its forward and its weight gradient.
    private void DropLayerOutput(int layer)
    {
        int rows = _packed.Steps * _packed.Batch, DH = OutputSize;
        Span<T> draw = _buffers.DropoutDraw.AsSpan(0, rows * DH);
        T scale = T.CreateChecked(1.0 / (1.0 - Options.Dropout));
        if (DropoutMaskOverride is { } given)
        {
            NdArray<T> keep = given[layer];
            RequireShape(keep, $"DropoutMaskOverride[{layer}]", _packed.Steps, _packed.Batch, DH);
            for (int i = 0; i < draw.Length; i++) draw[i] = keep.Data[i] == T.Zero ? T.Zero : scale;
        }
        else
        {
            double p = Options.Dropout;
            for (int i = 0; i < draw.Length; i++) draw[i] = NextUniform() < p ? T.Zero : scale;
        }
        Span<T> mask = _buffers.DropoutMasks[layer].AsSpan(0, rows * DH);
        _packed.Sort<T>(draw, mask, DH);
        Span<T> output = _buffers.LayerOutputs[layer].AsSpan(0, rows * DH);
        TensorPrimitives.Multiply(output, mask, output);
    }

    // The backward of DropLayerOutput: ∂L/∂(layer's output) = ∂L/∂(dropped output) ⊙ mask, in place.
    private void DropLayerOutputGradient(int layer)
    {
        int rows = _packed.Steps * _packed.Batch, DH = OutputSize;
        Span<T> grad = _buffers.LayerInputGrads[layer + 1].AsSpan(0, rows * DH);
        TensorPrimitives.Multiply(grad, _buffers.DropoutMasks[layer].AsSpan(0, rows * DH), grad);
    }

    // SplitMix64, then the top 53 bits as a double in [0, 1).
    private double NextUniform()
    {
        unchecked
        {
            ulong z = _dropoutState += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }
}

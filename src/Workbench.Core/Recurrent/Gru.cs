using System.Numerics;

namespace Workbench.Recurrent;

/// <summary>
/// A GRU layer with PyTorch's <c>nn.GRU</c> constructor (gates packed r, z, n), plus the two choices the literature
/// differs on: where the reset gate acts and which state the update gate weighs (PyTorch's by default).
/// </summary>
public sealed class Gru<T> : RecurrentLayer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>As <c>nn.GRU(input_size, hidden_size, num_layers, bias, bidirectional=...)</c>, initialised from <paramref name="seed"/>.</summary>
    public Gru(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool bidirectional = false,
        GruResetPlacement resetPlacement = GruResetPlacement.ResetAfter,
        GruUpdateConvention updateConvention = GruUpdateConvention.ZWeighsPrevious, int seed = 0)
        : base(new RecurrentLayerOptions(RecurrentKind.Gru, inputSize, hiddenSize)
        {
            NumLayers = numLayers,
            Bias = bias,
            Bidirectional = bidirectional,
            ResetPlacement = resetPlacement,
            UpdateConvention = updateConvention,
            Seed = seed,
        })
    {
    }
}

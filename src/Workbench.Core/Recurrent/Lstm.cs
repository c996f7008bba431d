using System.Numerics;

namespace Workbench.Recurrent;

/// <summary>An LSTM layer with PyTorch's <c>nn.LSTM</c> constructor (gates packed i, f, g, o).</summary>
public sealed class Lstm<T> : RecurrentLayer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>As <c>nn.LSTM(input_size, hidden_size, num_layers, bias, bidirectional=...)</c>, initialised from <paramref name="seed"/>.</summary>
    public Lstm(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool bidirectional = false, int seed = 0)
        : base(new RecurrentLayerOptions(RecurrentKind.Lstm, inputSize, hiddenSize)
        {
            NumLayers = numLayers,
            Bias = bias,
            Bidirectional = bidirectional,
            Seed = seed,
        })
    {
    }
}

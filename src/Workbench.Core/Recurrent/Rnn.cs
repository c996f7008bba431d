using System.Numerics;

namespace Workbench.Recurrent;

/// <summary>A vanilla (Elman) RNN layer with PyTorch's <c>nn.RNN</c> constructor: h_t = act(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh).</summary>
public sealed class Rnn<T> : RecurrentLayer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>As <c>nn.RNN(input_size, hidden_size, num_layers, nonlinearity, bias, bidirectional=...)</c>, initialised from <paramref name="seed"/>.</summary>
    public Rnn(int inputSize, int hiddenSize, int numLayers = 1, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh,
        bool bias = true, bool bidirectional = false, int seed = 0)
        : base(new RecurrentLayerOptions(nonlinearity == RnnNonlinearity.Relu ? RecurrentKind.RnnRelu : RecurrentKind.RnnTanh, inputSize, hiddenSize)
        {
            NumLayers = numLayers,
            Bias = bias,
            Bidirectional = bidirectional,
            Seed = seed,
        })
    {
    }
}

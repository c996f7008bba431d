using System.Numerics;

namespace Workbench.Recurrent;

/// <summary>
/// A multi-layer Elman RNN, as PyTorch's <c>torch.nn.RNN</c>. For each step t, with x_t the layer's input and
/// h_{t−1} its previous state:
/// <code>
/// h_t = act(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh),    act = tanh (the default) or ReLU
/// </code>
/// Layer k &gt; 0 reads the outputs of layer k − 1 (both directions, concatenated).
/// </summary>
/// <remarks>
/// <para><b>Inputs</b> of <see cref="RecurrentLayer{T}.Forward"/> (L = num_layers, D = 2 if bidirectional else 1):</para>
/// <list type="table">
/// <listheader><term>name</term><description>shape</description></listheader>
/// <item><term>input</term><description>(T, B, input_size), time-major as PyTorch with batch_first=False; (B, T, input_size) with <see cref="RecurrentLayerOptions.BatchFirst"/></description></item>
/// <item><term>lengths</term><description>optional (B), each in 1..T: packed-sequence semantics, as pack_padded_sequence(enforce_sorted=False)</description></item>
/// <item><term>h0</term><description>optional (L·D, B, hidden_size); zeros when absent</description></item>
/// </list>
/// <para>The states keep (L·D, B, hidden_size) in both layouts, as in PyTorch. PyTorch's <c>dropout</c> and
/// <c>batch_first</c> are the constructor's <c>dropout</c> and <c>batchFirst</c> (<see cref="RecurrentLayerOptions.Dropout"/>
/// and <see cref="RecurrentLayerOptions.BatchFirst"/>): dropout acts in training (<see cref="RecurrentLayer{T}.Training"/>) on every
/// layer's output but the top one's, never on h_n; with one layer it does nothing.</para>
/// <para><b>Outputs</b>:</para>
/// <list type="table">
/// <listheader><term>name</term><description>shape</description></listheader>
/// <item><term>Output</term><description>(T, B, D·hidden_size), (B, T, D·hidden_size) batch-first: the last layer's h_t, forward then reverse; zero at padded steps</description></item>
/// <item><term>Hn</term><description>(L·D, B, hidden_size): each layer and direction's state after its last step (a sequence's own last step)</description></item>
/// </list>
/// <para><b>Parameters</b> (state_dict order; in = input_size for layer 0, D·hidden_size above; suffix <c>_reverse</c> for the reverse direction):</para>
/// <list type="table">
/// <listheader><term>name</term><description>shape</description></listheader>
/// <item><term>weight_ih_l{k}</term><description>(1·hidden_size, in): W_ih</description></item>
/// <item><term>weight_hh_l{k}</term><description>(1·hidden_size, hidden_size): W_hh</description></item>
/// <item><term>bias_ih_l{k}, bias_hh_l{k}</term><description>(1·hidden_size), absent when bias is false</description></item>
/// </list>
/// <para>Every parameter starts from U(−1/√hidden_size, 1/√hidden_size), drawn from the seed, as PyTorch's default.</para>
/// <para>Conventions: two biases, as PyTorch (the textbook's single b_h is b_ih + b_hh).</para>
/// </remarks>
public sealed class Rnn<T> : RecurrentLayer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>
    /// As <c>nn.RNN(input_size, hidden_size, num_layers, nonlinearity, bias, batch_first, dropout, bidirectional)</c>,
    /// initialised from <paramref name="seed"/>; PyTorch's keyword arguments are named arguments here (<c>batchFirst: true</c>).
    /// </summary>
    public Rnn(int inputSize, int hiddenSize, int numLayers = 1, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh,
        bool bias = true, bool bidirectional = false, int seed = 0, bool batchFirst = false, double dropout = 0)
        : base(new RecurrentLayerOptions(nonlinearity == RnnNonlinearity.Relu ? RecurrentKind.RnnRelu : RecurrentKind.RnnTanh, inputSize, hiddenSize)
        {
            NumLayers = numLayers,
            Bias = bias,
            Bidirectional = bidirectional,
            Seed = seed,
            BatchFirst = batchFirst,
            Dropout = dropout,
        })
    {
    }
}

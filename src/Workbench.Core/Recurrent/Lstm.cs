using System.Numerics;

namespace Workbench.Recurrent;

/// <summary>
/// A multi-layer LSTM, as PyTorch's <c>torch.nn.LSTM</c>. For each step t, with x_t the layer's input and
/// h_{t−1}, c_{t−1} its previous states:
/// <code>
/// i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi)
/// f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf)
/// g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg)
/// o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho)
/// c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
/// h_t = o_t ⊙ tanh(c_t)
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
/// <item><term>c0</term><description>optional (L·D, B, hidden_size); zeros when absent</description></item>
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
/// <item><term>Cn</term><description>(L·D, B, hidden_size): the final cell states</description></item>
/// </list>
/// <para><b>Parameters</b> (state_dict order; in = input_size for layer 0, D·hidden_size above; suffix <c>_reverse</c> for the reverse direction):</para>
/// <list type="table">
/// <listheader><term>name</term><description>shape</description></listheader>
/// <item><term>weight_ih_l{k}</term><description>(4·hidden_size, in): W_ii | W_if | W_ig | W_io stacked (gates packed i, f, g, o)</description></item>
/// <item><term>weight_hh_l{k}</term><description>(4·hidden_size, hidden_size): W_hi | W_hf | W_hg | W_ho</description></item>
/// <item><term>bias_ih_l{k}, bias_hh_l{k}</term><description>(4·hidden_size), absent when bias is false</description></item>
/// </list>
/// <para>Every parameter starts from U(−1/√hidden_size, 1/√hidden_size), drawn from the seed, as PyTorch's default.</para>
/// <para>Conventions: no forget-gate bias offset: b_if starts like every other bias. PyTorch's proj_size P is
/// <c>projSize</c> (<see cref="RecurrentLayerOptions.ProjectionSize"/>; 0, the default, for none): h_t = W_hr (o_t ⊙ tanh c_t) with weight_hr_l{k} (P, H), and
/// P replaces hidden_size in the output, h0, h_n, the columns of weight_hh and the inputs of layers above the first.</para>
/// </remarks>
public sealed class Lstm<T> : RecurrentLayer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>
    /// As <c>nn.LSTM(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, proj_size)</c>,
    /// initialised from <paramref name="seed"/>; PyTorch's keyword arguments are named arguments here
    /// (<c>new Lstm&lt;float&gt;(10, 20, numLayers: 2, batchFirst: true, dropout: 0.2, projSize: 5)</c>).
    /// </summary>
    public Lstm(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool bidirectional = false, int seed = 0,
        bool batchFirst = false, double dropout = 0, int projSize = 0)
        : base(new RecurrentLayerOptions(RecurrentKind.Lstm, inputSize, hiddenSize)
        {
            NumLayers = numLayers,
            Bias = bias,
            Bidirectional = bidirectional,
            Seed = seed,
            BatchFirst = batchFirst,
            Dropout = dropout,
            ProjectionSize = projSize,
        })
    {
    }
}

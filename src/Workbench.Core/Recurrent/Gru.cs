using System.Numerics;

namespace Workbench.Recurrent;

/// <summary>
/// A multi-layer GRU, as PyTorch's <c>torch.nn.GRU</c>. For each step t, with x_t the layer's input and h_{t−1}
/// its previous state:
/// <code>
/// r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)
/// z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)
/// n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))      reset after (PyTorch, the default)
/// n_t = tanh(W_in x_t + b_in + W_hn (r_t ⊙ h_{t−1}) + b_hn)      reset before (Cho et al. 2014)
/// h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}                          z weighs the previous state (PyTorch, the default)
/// h_t = z_t ⊙ n_t + (1 − z_t) ⊙ h_{t−1}                          z weighs the candidate
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
/// <item><term>weight_ih_l{k}</term><description>(3·hidden_size, in): W_ir | W_iz | W_in stacked (gates packed r, z, n)</description></item>
/// <item><term>weight_hh_l{k}</term><description>(3·hidden_size, hidden_size): W_hr | W_hz | W_hn</description></item>
/// <item><term>bias_ih_l{k}, bias_hh_l{k}</term><description>(3·hidden_size), absent when bias is false</description></item>
/// </list>
/// <para>Every parameter starts from U(−1/√hidden_size, 1/√hidden_size), drawn from the seed, as PyTorch's default.</para>
/// <para>Conventions: <see cref="GruResetPlacement"/> chooses the candidate's form and <see cref="GruUpdateConvention"/>
/// which state z weighs; the two update conventions are one model once the z-gate weights are negated. Only the
/// PyTorch defaults load into <c>torch.nn.GRU</c> unchanged.</para>
/// </remarks>
public sealed class Gru<T> : RecurrentLayer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>
    /// As <c>nn.GRU(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)</c>, initialised
    /// from <paramref name="seed"/>; PyTorch's keyword arguments are named arguments here (<c>batchFirst: true</c>).
    /// </summary>
    public Gru(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool bidirectional = false,
        GruResetPlacement resetPlacement = GruResetPlacement.ResetAfter,
        GruUpdateConvention updateConvention = GruUpdateConvention.ZWeighsPrevious, int seed = 0,
        bool batchFirst = false, double dropout = 0)
        : base(new RecurrentLayerOptions(RecurrentKind.Gru, inputSize, hiddenSize)
        {
            NumLayers = numLayers,
            Bias = bias,
            Bidirectional = bidirectional,
            ResetPlacement = resetPlacement,
            UpdateConvention = updateConvention,
            Seed = seed,
            BatchFirst = batchFirst,
            Dropout = dropout,
        })
    {
    }
}

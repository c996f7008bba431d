using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

/// <summary>
/// One trainable LSTM step on a batch, as PyTorch's <c>torch.nn.LSTMCell</c>:
/// <code>
/// i = σ(W_ii x + b_ii + W_hi h + b_hi)      f = σ(W_if x + b_if + W_hf h + b_hf)
/// g = tanh(W_ig x + b_ig + W_hg h + b_hg)   o = σ(W_io x + b_io + W_ho h + b_ho)
/// c' = f ⊙ c + i ⊙ g
/// h' = o ⊙ tanh(c')
/// </code>
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>tensor</term><description>shape</description></listheader>
/// <item><term>input x</term><description>(B, input_size)</description></item>
/// <item><term>h, c (optional)</term><description>(B, hidden_size) each; zeros when absent</description></item>
/// <item><term>Forward returns (h', c')</term><description>(B, hidden_size) each</description></item>
/// <item><term>weight_ih</term><description>(4·hidden_size, input_size): W_ii | W_if | W_ig | W_io</description></item>
/// <item><term>weight_hh</term><description>(4·hidden_size, hidden_size): W_hi | W_hf | W_hg | W_ho</description></item>
/// <item><term>bias_ih, bias_hh</term><description>(4·hidden_size), absent when bias is false</description></item>
/// </list>
/// <para>Not <see cref="LstmCell{T}"/>, the equation-level teaching cell; see <see cref="RecurrentCellLayer{T}"/>
/// for the parameters, the tape of steps and backward through a loop.</para>
/// </remarks>
public sealed class LstmCellLayer<T> : RecurrentCellLayer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // Gates are the activated i, f, g, o, (B, 4H) packed as the weights; TanhCell is tanh(c').
    private readonly Stack<(NdArray<T> Input, NdArray<T> State, NdArray<T> Cell, T[] Gates, T[] TanhCell)> _tape = new();

    /// <summary>As <c>nn.LSTMCell(input_size, hidden_size, bias)</c>, initialised from <paramref name="seed"/>.</summary>
    public LstmCellLayer(int inputSize, int hiddenSize, bool bias = true, int seed = 0)
        : base(RecurrentKind.Lstm, inputSize, hiddenSize, bias, seed)
    {
    }

    /// <inheritdoc/>
    public override int PendingSteps => _tape.Count;

    /// <inheritdoc/>
    public override void ClearSteps() => _tape.Clear();

    /// <summary>One step: (h', c') (B, H) each from x (B, I), h and c (B, H; zeros when null).</summary>
    /// <exception cref="ArgumentException">A shape mismatch or a NaN/Inf.</exception>
    public (NdArray<T> H, NdArray<T> C) Forward(NdArray<T> input, NdArray<T>? h = null, NdArray<T>? c = null)
    {
        int batch = CheckInput(input), H = HiddenSize, GH = 4 * H;
        NdArray<T> state = StateOrZeros(h, batch, "h");
        NdArray<T> cell = StateOrZeros(c, batch, "c");
        T[] gates = Affine(input.Data, batch, recurrent: false);
        T[] recurrentSide = Affine(state.Data, batch, recurrent: true);
        var tanhCell = new T[batch * H];
        var hNext = NdArray<T>.Zeros(batch, H);
        var cNext = NdArray<T>.Zeros(batch, H);
        for (int b = 0; b < batch; b++)
        {
            int o = b * GH;
            for (int k = 0; k < GH; k++)
            {
                T pre = gates[o + k] + recurrentSide[o + k];
                gates[o + k] = k >= 2 * H && k < 3 * H ? T.Tanh(pre) : Sigmoid(pre);
            }
            for (int j = 0; j < H; j++)
            {
                int e = b * H + j;
                T i = gates[o + j], f = gates[o + H + j], g = gates[o + 2 * H + j], og = gates[o + 3 * H + j];
                cNext.Data[e] = f * cell.Data[e] + i * g;
                tanhCell[e] = T.Tanh(cNext.Data[e]);
                hNext.Data[e] = og * tanhCell[e];
            }
        }
        if (Training) _tape.Push((input.Clone(), state, cell, gates, tanhCell));
        return (hNext, cNext);
    }

    /// <summary>
    /// Back-propagates the most recent step not yet taken: accumulates the parameter gradients and returns ∂L/∂x,
    /// ∂L/∂h and ∂L/∂c.
    /// </summary>
    /// <param name="gradH">(B, H) ∂L/∂h' (from the loss and from the next step's ∂L/∂h).</param>
    /// <param name="gradC">(B, H) ∂L/∂c' (the next step's ∂L/∂c, and any loss on c'); zeros when null.</param>
    /// <exception cref="InvalidOperationException">No step is left on the tape.</exception>
    public RecurrentCellGradients<T> Backward(NdArray<T> gradH, NdArray<T>? gradC = null)
    {
        ArgumentNullException.ThrowIfNull(gradH);
        if (_tape.Count == 0) throw NoStep();
        var (input, state, cell, gates, tanhCell) = _tape.Peek();
        int batch = input.Shape[0], H = HiddenSize, GH = 4 * H;
        CheckGradient(gradH, batch, "gradH");
        CheckGradient(gradC, batch, "gradC");
        _tape.Pop();
        var gradPre = new T[batch * GH];
        var gradState = NdArray<T>.Zeros(batch, H);
        var gradCell = NdArray<T>.Zeros(batch, H);
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < H; j++)
            {
                int o = b * GH, e = b * H + j;
                T i = gates[o + j], f = gates[o + H + j], g = gates[o + 2 * H + j], og = gates[o + 3 * H + j];
                T dh = gradH.Data[e], tc = tanhCell[e];
                T dc = (gradC is null ? T.Zero : gradC.Data[e]) + dh * og * (T.One - tc * tc);
                gradPre[o + j] = dc * g * i * (T.One - i);
                gradPre[o + H + j] = dc * cell.Data[e] * f * (T.One - f);
                gradPre[o + 2 * H + j] = dc * i * (T.One - g * g);
                gradPre[o + 3 * H + j] = dh * tc * og * (T.One - og);
                gradCell.Data[e] = dc * f;
            }
        NdArray<T> gradInput = Accumulate(batch, input.Data, state.Data, gradPre, gradPre, gradState.Data);
        return new RecurrentCellGradients<T>(gradInput, gradState, gradCell);
    }
}

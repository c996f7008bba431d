using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

/// <summary>
/// One trainable GRU step on a batch, as PyTorch's <c>torch.nn.GRUCell</c> (reset after the recurrent product, z
/// weighing the previous state):
/// <code>
/// r = σ(W_ir x + b_ir + W_hr h + b_hr)
/// z = σ(W_iz x + b_iz + W_hz h + b_hz)
/// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
/// h' = (1 − z) ⊙ n + z ⊙ h
/// </code>
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>tensor</term><description>shape</description></listheader>
/// <item><term>input x</term><description>(B, input_size)</description></item>
/// <item><term>h (optional)</term><description>(B, hidden_size); zeros when absent</description></item>
/// <item><term>Forward returns h'</term><description>(B, hidden_size)</description></item>
/// <item><term>weight_ih</term><description>(3·hidden_size, input_size): W_ir | W_iz | W_in</description></item>
/// <item><term>weight_hh</term><description>(3·hidden_size, hidden_size): W_hr | W_hz | W_hn</description></item>
/// <item><term>bias_ih, bias_hh</term><description>(3·hidden_size), absent when bias is false</description></item>
/// </list>
/// <para>Not <see cref="GruCell{T}"/>, the equation-level teaching cell (which also has the other GRU forms); see
/// <see cref="RecurrentCellLayer{T}"/> for the parameters, the tape of steps and backward through a loop.</para>
/// </remarks>
public sealed class GruCellLayer<T> : RecurrentCellLayer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // r, z, n are (B, H) each; hn = W_hn h + b_hn, which the reset gate scales.
    private readonly Stack<(NdArray<T> Input, NdArray<T> State, T[] R, T[] Z, T[] N, T[] Hn)> _tape = new();

    /// <summary>As <c>nn.GRUCell(input_size, hidden_size, bias)</c>, initialised from <paramref name="seed"/>.</summary>
    public GruCellLayer(int inputSize, int hiddenSize, bool bias = true, int seed = 0)
        : base(RecurrentKind.Gru, inputSize, hiddenSize, bias, seed)
    {
    }

    /// <inheritdoc/>
    public override int PendingSteps => _tape.Count;

    /// <inheritdoc/>
    public override void ClearSteps() => _tape.Clear();

    /// <summary>One step: h' (B, H) from x (B, I) and h (B, H; zeros when null).</summary>
    /// <exception cref="ArgumentException">A shape mismatch or a NaN/Inf.</exception>
    public NdArray<T> Forward(NdArray<T> input, NdArray<T>? h = null)
    {
        int batch = CheckInput(input), H = HiddenSize, GH = 3 * H;
        NdArray<T> state = StateOrZeros(h, batch, "h");
        T[] gi = Affine(input.Data, batch, recurrent: false);
        T[] gh = Affine(state.Data, batch, recurrent: true);
        T[] r = new T[batch * H], z = new T[batch * H], n = new T[batch * H], hn = new T[batch * H];
        var output = NdArray<T>.Zeros(batch, H);
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < H; j++)
            {
                int o = b * GH, e = b * H + j;
                r[e] = Sigmoid(gi[o + j] + gh[o + j]);
                z[e] = Sigmoid(gi[o + H + j] + gh[o + H + j]);
                hn[e] = gh[o + 2 * H + j];
                n[e] = T.Tanh(gi[o + 2 * H + j] + r[e] * hn[e]);
                output.Data[e] = (T.One - z[e]) * n[e] + z[e] * state.Data[e];
            }
        if (Training) _tape.Push((input.Clone(), state, r, z, n, hn));
        return output;
    }

    /// <summary>
    /// Back-propagates the most recent step not yet taken: accumulates the parameter gradients and returns ∂L/∂x
    /// and ∂L/∂h.
    /// </summary>
    /// <param name="gradH">(B, H) ∂L/∂h' (from the loss and from the next step's ∂L/∂h).</param>
    /// <exception cref="InvalidOperationException">No step is left on the tape.</exception>
    public RecurrentCellGradients<T> Backward(NdArray<T> gradH)
    {
        ArgumentNullException.ThrowIfNull(gradH);
        if (_tape.Count == 0) throw NoStep();
        var (input, state, r, z, n, hn) = _tape.Peek();
        int batch = input.Shape[0], H = HiddenSize, GH = 3 * H;
        CheckGradient(gradH, batch, "gradH");
        _tape.Pop();
        var gradIh = new T[batch * GH];
        var gradHh = new T[batch * GH];
        var gradState = NdArray<T>.Zeros(batch, H);
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < H; j++)
            {
                int o = b * GH, e = b * H + j;
                T dh = gradH.Data[e];
                gradState.Data[e] = dh * z[e];                                   // the direct path z ⊙ h
                T dn = dh * (T.One - z[e]) * (T.One - n[e] * n[e]);              // ∂L/∂(n's pre-activation)
                T dz = dh * (state.Data[e] - n[e]) * z[e] * (T.One - z[e]);
                T dr = dn * hn[e] * r[e] * (T.One - r[e]);
                gradIh[o + j] = gradHh[o + j] = dr;
                gradIh[o + H + j] = gradHh[o + H + j] = dz;
                gradIh[o + 2 * H + j] = dn;
                gradHh[o + 2 * H + j] = dn * r[e];                              // W_hn h + b_hn enters scaled by r
            }
        NdArray<T> gradInput = Accumulate(batch, input.Data, state.Data, gradIh, gradHh, gradState.Data);
        return new RecurrentCellGradients<T>(gradInput, gradState, null);
    }
}

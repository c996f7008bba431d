using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

/// <summary>
/// One trainable Elman RNN step on a batch, as PyTorch's <c>torch.nn.RNNCell</c>:
/// <code>
/// h' = act(W_ih x + b_ih + W_hh h + b_hh),    act = tanh (the default) or ReLU
/// </code>
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>tensor</term><description>shape</description></listheader>
/// <item><term>input x</term><description>(B, input_size)</description></item>
/// <item><term>h (optional)</term><description>(B, hidden_size); zeros when absent</description></item>
/// <item><term>Forward returns h'</term><description>(B, hidden_size)</description></item>
/// <item><term>weight_ih, weight_hh</term><description>(hidden_size, input_size), (hidden_size, hidden_size)</description></item>
/// <item><term>bias_ih, bias_hh</term><description>(hidden_size), absent when bias is false</description></item>
/// </list>
/// <para>Not <see cref="RnnCell{T}"/>, the equation-level teaching cell; see <see cref="RecurrentCellLayer{T}"/>
/// for the parameters, the tape of steps and backward through a loop.</para>
/// </remarks>
public sealed class RnnCellLayer<T> : RecurrentCellLayer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Stack<(NdArray<T> Input, NdArray<T> State, T[] Output)> _tape = new();

    /// <summary>As <c>nn.RNNCell(input_size, hidden_size, bias, nonlinearity)</c>, initialised from <paramref name="seed"/>.</summary>
    public RnnCellLayer(int inputSize, int hiddenSize, bool bias = true, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh, int seed = 0)
        : base(nonlinearity == RnnNonlinearity.Relu ? RecurrentKind.RnnRelu : RecurrentKind.RnnTanh, inputSize, hiddenSize, bias, seed)
    {
    }

    /// <summary>The activation: tanh or ReLU.</summary>
    public RnnNonlinearity Nonlinearity => Kind == RecurrentKind.RnnRelu ? RnnNonlinearity.Relu : RnnNonlinearity.Tanh;

    /// <inheritdoc/>
    public override int PendingSteps => _tape.Count;

    /// <inheritdoc/>
    public override void ClearSteps() => _tape.Clear();

    /// <summary>One step: h' (B, H) from x (B, I) and h (B, H; zeros when null).</summary>
    /// <exception cref="ArgumentException">A shape mismatch or a NaN/Inf.</exception>
    public NdArray<T> Forward(NdArray<T> input, NdArray<T>? h = null)
    {
        int batch = CheckInput(input);
        NdArray<T> state = StateOrZeros(h, batch, "h");
        T[] a = Affine(input.Data, batch, recurrent: false);
        T[] recurrentSide = Affine(state.Data, batch, recurrent: true);
        bool relu = Kind == RecurrentKind.RnnRelu;
        var output = NdArray<T>.Zeros(batch, HiddenSize);
        for (int i = 0; i < a.Length; i++)
        {
            T pre = a[i] + recurrentSide[i];
            output.Data[i] = relu ? T.Max(pre, T.Zero) : T.Tanh(pre);
        }
        if (Training) _tape.Push((input.Clone(), state, (T[])output.Data.Clone()));
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
        var (input, state, output) = _tape.Peek();
        int batch = input.Shape[0];
        CheckGradient(gradH, batch, "gradH");
        _tape.Pop();
        bool relu = Kind == RecurrentKind.RnnRelu;
        var gradPre = new T[output.Length];
        for (int i = 0; i < gradPre.Length; i++)
            gradPre[i] = relu ? (output[i] > T.Zero ? gradH.Data[i] : T.Zero) : gradH.Data[i] * (T.One - output[i] * output[i]);
        var gradState = NdArray<T>.Zeros(batch, HiddenSize);
        NdArray<T> gradInput = Accumulate(batch, input.Data, state.Data, gradPre, gradPre, gradState.Data);
        return new RecurrentCellGradients<T>(gradInput, gradState, null);
    }
}

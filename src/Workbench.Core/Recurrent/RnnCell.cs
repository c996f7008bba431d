using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Recurrent;

/// <summary>
/// The vanilla RNN step written as its equation, on MathNet vectors, for reading and checking:
/// h_t = act(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh) (the seeds' W_xh, W_hh and b_h; PyTorch's two biases).
/// </summary>
/// <remarks>
/// <para>A single-step equation reader, not PyTorch's trainable <c>nn.RNNCell</c>: it holds copies of the weights,
/// has no parameters to train and no backward pass. Training and speed are the layer's (<see cref="Rnn{T}"/>,
/// <see cref="RecurrentLayer{T}"/>); tests show the two agree step by step.</para>
/// </remarks>
public sealed class RnnCell<T> where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
{
    /// <summary>Builds the cell from PyTorch-layout weights: weight_ih (H, I), weight_hh (H, H), biases (H) or null.</summary>
    public RnnCell(Matrix<T> weightIh, Matrix<T> weightHh, Vector<T>? biasIh = null, Vector<T>? biasHh = null,
        RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh)
    {
        HiddenSize = CellMath.CheckShapes(weightIh, weightHh, biasIh, biasHh, 1);
        WeightIh = weightIh;
        WeightHh = weightHh;
        BiasIh = biasIh ?? Vector<T>.Build.Dense(HiddenSize);
        BiasHh = biasHh ?? Vector<T>.Build.Dense(HiddenSize);
        Nonlinearity = nonlinearity;
    }

    /// <summary>The cell of one layer and direction of an RNN layer, with copies of its current weights.</summary>
    public static RnnCell<T> FromLayer(RecurrentLayer<T> layer, int layerIndex = 0, bool reverse = false)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var kind = layer.Options.Kind;
        if (kind is not (RecurrentKind.RnnTanh or RecurrentKind.RnnRelu))
            throw new ArgumentException($"An RnnCell needs an RNN layer, got {kind}.", nameof(layer));
        var (wih, whh, bih, bhh) = CellMath.FromLayer(layer, layerIndex, reverse);
        return new RnnCell<T>(wih, whh, bih, bhh, kind == RecurrentKind.RnnRelu ? RnnNonlinearity.Relu : RnnNonlinearity.Tanh);
    }

    /// <summary>Features per input step I.</summary>
    public int InputSize => WeightIh.ColumnCount;

    /// <summary>Features of the hidden state H.</summary>
    public int HiddenSize { get; }

    /// <summary>tanh or ReLU.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    /// <summary>W_ih (H, I), the seeds' W_xh.</summary>
    public Matrix<T> WeightIh { get; }

    /// <summary>W_hh (H, H).</summary>
    public Matrix<T> WeightHh { get; }

    /// <summary>b_ih (H); zero when the layer has no bias.</summary>
    public Vector<T> BiasIh { get; }

    /// <summary>b_hh (H); zero when the layer has no bias.</summary>
    public Vector<T> BiasHh { get; }

    /// <summary>W_ih x_t + b_ih + W_hh h_{t−1} + b_hh.</summary>
    public Vector<T> PreActivation(Vector<T> x, Vector<T> hPrev)
    {
        CellMath.CheckLength(x, InputSize, "x");
        CellMath.CheckLength(hPrev, HiddenSize, "hPrev");
        return (WeightIh * x + BiasIh) + (WeightHh * hPrev + BiasHh);
    }

    /// <summary>h_t = act(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh).</summary>
    public Vector<T> HiddenState(Vector<T> x, Vector<T> hPrev) => Activate(PreActivation(x, hPrev));

    /// <summary>One step with its pre-activation.</summary>
    public RnnStep<T> Step(Vector<T> x, Vector<T> hPrev)
    {
        var pre = PreActivation(x, hPrev);
        return new RnnStep<T>(pre, Activate(pre));
    }

    /// <summary>Runs the cell over a sequence from <paramref name="h0"/> (zeros when null); one step record per input.</summary>
    public IReadOnlyList<RnnStep<T>> Run(IEnumerable<Vector<T>> inputs, Vector<T>? h0 = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var h = h0 ?? Vector<T>.Build.Dense(HiddenSize);
        var steps = new List<RnnStep<T>>();
        foreach (var x in inputs)
        {
            var step = Step(x, h);
            steps.Add(step);
            h = step.HiddenState;
        }
        return steps;
    }

    private Vector<T> Activate(Vector<T> pre) => Nonlinearity == RnnNonlinearity.Relu ? CellMath.Relu(pre) : CellMath.Tanh(pre);
}

using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Recurrent;

/// <summary>
/// The LSTM step written as its equations, one public method per equation, on MathNet vectors, for reading and
/// checking. Weights are PyTorch's, gates packed i, f, g, o.
/// </summary>
/// <remarks>
/// <para>A single-step equation reader, not PyTorch's trainable <c>nn.LSTMCell</c>: it holds copies of the weights
/// and has no parameters to train. Its <see cref="Backward"/> is one step of BPTT written as the chain rule through
/// each equation, for following by hand; training and speed are the layer's (<see cref="Lstm{T}"/>,
/// <see cref="RecurrentLayer{T}"/>). Tests show the two agree step by step, forward and backward.</para>
/// </remarks>
public sealed class LstmCell<T> where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
{
    /// <summary>Builds the cell from PyTorch-layout weights: weight_ih (4H, I), weight_hh (4H, H), biases (4H) or null.</summary>
    public LstmCell(Matrix<T> weightIh, Matrix<T> weightHh, Vector<T>? biasIh = null, Vector<T>? biasHh = null)
    {
        int h = HiddenSize = CellMath.CheckShapes(weightIh, weightHh, biasIh, biasHh, 4);
        InputSize = weightIh.ColumnCount;
        WeightIi = CellMath.GateRows(weightIh, 0, h); WeightIf = CellMath.GateRows(weightIh, 1, h);
        WeightIg = CellMath.GateRows(weightIh, 2, h); WeightIo = CellMath.GateRows(weightIh, 3, h);
        WeightHi = CellMath.GateRows(weightHh, 0, h); WeightHf = CellMath.GateRows(weightHh, 1, h);
        WeightHg = CellMath.GateRows(weightHh, 2, h); WeightHo = CellMath.GateRows(weightHh, 3, h);
        BiasIi = CellMath.GateSlice(biasIh, 0, h); BiasIf = CellMath.GateSlice(biasIh, 1, h);
        BiasIg = CellMath.GateSlice(biasIh, 2, h); BiasIo = CellMath.GateSlice(biasIh, 3, h);
        BiasHi = CellMath.GateSlice(biasHh, 0, h); BiasHf = CellMath.GateSlice(biasHh, 1, h);
        BiasHg = CellMath.GateSlice(biasHh, 2, h); BiasHo = CellMath.GateSlice(biasHh, 3, h);
    }

    /// <summary>The cell of one layer and direction of an LSTM layer, with copies of its current weights.</summary>
    public static LstmCell<T> FromLayer(RecurrentLayer<T> layer, int layerIndex = 0, bool reverse = false)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.Options.Kind != RecurrentKind.Lstm)
            throw new ArgumentException($"An LstmCell needs an LSTM layer, got {layer.Options.Kind}.", nameof(layer));
        var (wih, whh, bih, bhh) = CellMath.FromLayer(layer, layerIndex, reverse);
        return new LstmCell<T>(wih, whh, bih, bhh);
    }

    /// <summary>Features per input step I.</summary>
    public int InputSize { get; }

    /// <summary>Features of the hidden and cell states H.</summary>
    public int HiddenSize { get; }

    /// <summary>W_ii: the input-gate block of weight_ih, acting on x_t.</summary>
    public Matrix<T> WeightIi { get; }

    /// <summary>W_if: the forget-gate block of weight_ih, acting on x_t.</summary>
    public Matrix<T> WeightIf { get; }

    /// <summary>W_ig: the candidate block of weight_ih, acting on x_t.</summary>
    public Matrix<T> WeightIg { get; }

    /// <summary>W_io: the output-gate block of weight_ih, acting on x_t.</summary>
    public Matrix<T> WeightIo { get; }

    /// <summary>W_hi: the input-gate block of weight_hh, acting on h_{t−1}.</summary>
    public Matrix<T> WeightHi { get; }

    /// <summary>W_hf: the forget-gate block of weight_hh, acting on h_{t−1}.</summary>
    public Matrix<T> WeightHf { get; }

    /// <summary>W_hg: the candidate block of weight_hh, acting on h_{t−1}.</summary>
    public Matrix<T> WeightHg { get; }

    /// <summary>W_ho: the output-gate block of weight_hh, acting on h_{t−1}.</summary>
    public Matrix<T> WeightHo { get; }

    /// <summary>b_ii: the input-gate block of bias_ih (zeros when the layer has no bias).</summary>
    public Vector<T> BiasIi { get; }

    /// <summary>b_if: the forget-gate block of bias_ih (zeros when the layer has no bias).</summary>
    public Vector<T> BiasIf { get; }

    /// <summary>b_ig: the candidate block of bias_ih (zeros when the layer has no bias).</summary>
    public Vector<T> BiasIg { get; }

    /// <summary>b_io: the output-gate block of bias_ih (zeros when the layer has no bias).</summary>
    public Vector<T> BiasIo { get; }

    /// <summary>b_hi: the input-gate block of bias_hh (zeros when the layer has no bias).</summary>
    public Vector<T> BiasHi { get; }

    /// <summary>b_hf: the forget-gate block of bias_hh (zeros when the layer has no bias).</summary>
    public Vector<T> BiasHf { get; }

    /// <summary>b_hg: the candidate block of bias_hh (zeros when the layer has no bias).</summary>
    public Vector<T> BiasHg { get; }

    /// <summary>b_ho: the output-gate block of bias_hh (zeros when the layer has no bias).</summary>
    public Vector<T> BiasHo { get; }

    /// <summary>i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi): how much of the candidate enters the cell.</summary>
    public Vector<T> InputGate(Vector<T> x, Vector<T> hPrev) => CellMath.Sigmoid(Affine(x, hPrev, WeightIi, BiasIi, WeightHi, BiasHi));

    /// <summary>f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf): how much of the old cell state is kept.</summary>
    public Vector<T> ForgetGate(Vector<T> x, Vector<T> hPrev) => CellMath.Sigmoid(Affine(x, hPrev, WeightIf, BiasIf, WeightHf, BiasHf));

    /// <summary>C̃_t = g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg): the candidate cell state.</summary>
    public Vector<T> CandidateState(Vector<T> x, Vector<T> hPrev) => CellMath.Tanh(Affine(x, hPrev, WeightIg, BiasIg, WeightHg, BiasHg));

    /// <summary>o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho): how much of tanh(C_t) is shown as h_t.</summary>
    public Vector<T> OutputGate(Vector<T> x, Vector<T> hPrev) => CellMath.Sigmoid(Affine(x, hPrev, WeightIo, BiasIo, WeightHo, BiasHo));

    /// <summary>C_t = f_t ⊙ C_{t−1} + i_t ⊙ C̃_t.</summary>
    public Vector<T> CellState(Vector<T> forgetGate, Vector<T> cPrev, Vector<T> inputGate, Vector<T> candidate)
    {
        CellMath.CheckLength(cPrev, HiddenSize, "cPrev");
        return forgetGate.PointwiseMultiply(cPrev) + inputGate.PointwiseMultiply(candidate);
    }

    /// <summary>h_t = o_t ⊙ tanh(C_t).</summary>
    public Vector<T> HiddenState(Vector<T> outputGate, Vector<T> cellState) => outputGate.PointwiseMultiply(CellMath.Tanh(cellState));

    /// <summary>One step with every intermediate.</summary>
    public LstmStep<T> Step(Vector<T> x, Vector<T> hPrev, Vector<T> cPrev)
    {
        var i = InputGate(x, hPrev);
        var f = ForgetGate(x, hPrev);
        var g = CandidateState(x, hPrev);
        var o = OutputGate(x, hPrev);
        var c = CellState(f, cPrev, i, g);
        return new LstmStep<T>(i, f, g, o, c, HiddenState(o, c));
    }

    /// <summary>Runs the cell over a sequence from (h0, c0) (zeros when null); one step record per input.</summary>
    public IReadOnlyList<LstmStep<T>> Run(IEnumerable<Vector<T>> inputs, Vector<T>? h0 = null, Vector<T>? c0 = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var h = h0 ?? Vector<T>.Build.Dense(HiddenSize);
        var c = c0 ?? Vector<T>.Build.Dense(HiddenSize);
        var steps = new List<LstmStep<T>>();
        foreach (var x in inputs)
        {
            var step = Step(x, h, c);
            steps.Add(step);
            (h, c) = (step.HiddenState, step.CellState);
        }
        return steps;
    }

    /// <summary>∂L/∂o_t = ∂L/∂h_t ⊙ tanh(C_t), from h_t = o_t ⊙ tanh(C_t).</summary>
    public Vector<T> OutputGateGradient(Vector<T> gradHidden, Vector<T> cellState)
    {
        CellMath.CheckLength(gradHidden, HiddenSize, "gradHidden");
        return gradHidden.PointwiseMultiply(CellMath.Tanh(cellState));
    }

    /// <summary>
    /// ∂L/∂C_t = ∂L/∂C_t (from step t+1) + ∂L/∂h_t ⊙ o_t ⊙ (1 − tanh²(C_t)): the cell state reaches the loss along
    /// the cell path to the next step and through h_t.
    /// </summary>
    public Vector<T> CellStateGradient(Vector<T> gradHidden, Vector<T> outputGate, Vector<T> cellState, Vector<T>? gradCellNext = null)
    {
        CellMath.CheckLength(gradHidden, HiddenSize, "gradHidden");
        var throughHidden = CellDerivatives.TanhBackward(CellMath.Tanh(cellState), gradHidden.PointwiseMultiply(outputGate));
        return gradCellNext is null ? throughHidden : throughHidden + gradCellNext;
    }

    /// <summary>∂L/∂f_t = ∂L/∂C_t ⊙ C_{t−1}.</summary>
    public Vector<T> ForgetGateGradient(Vector<T> gradCell, Vector<T> cPrev) => gradCell.PointwiseMultiply(cPrev);

    /// <summary>∂L/∂i_t = ∂L/∂C_t ⊙ C̃_t.</summary>
    public Vector<T> InputGateGradient(Vector<T> gradCell, Vector<T> candidate) => gradCell.PointwiseMultiply(candidate);

    /// <summary>∂L/∂C̃_t = ∂L/∂C_t ⊙ i_t.</summary>
    public Vector<T> CandidateGradient(Vector<T> gradCell, Vector<T> inputGate) => gradCell.PointwiseMultiply(inputGate);

    /// <summary>∂L/∂C_{t−1} = ∂L/∂C_t ⊙ f_t: the cell path, gated only by the forget gate (no weight matrix, no tanh).</summary>
    public Vector<T> PreviousCellStateGradient(Vector<T> gradCell, Vector<T> forgetGate) => gradCell.PointwiseMultiply(forgetGate);

    /// <summary>
    /// One step of back-propagation through time. Given the step's inputs (x_t, h_{t−1}, C_{t−1}), its forward record
    /// and the gradients arriving at h_t and C_t (∂L/∂C_t from step t+1; zeros when null), returns ∂L/∂h_{t−1},
    /// ∂L/∂C_{t−1}, ∂L/∂x_t and this step's share of the parameter gradients.
    /// </summary>
    /// <remarks>
    /// With a_k the pre-activation of gate k (a_i, a_f, a_o through σ, a_g through tanh), ∂L/∂W_ik = ∂L/∂a_k x_tᵀ,
    /// ∂L/∂W_hk = ∂L/∂a_k h_{t−1}ᵀ, ∂L/∂b_ik = ∂L/∂b_hk = ∂L/∂a_k, ∂L/∂x_t = Σ_k W_ikᵀ ∂L/∂a_k and
    /// ∂L/∂h_{t−1} = Σ_k W_hkᵀ ∂L/∂a_k. Over a sequence, the parameter gradients of all steps add up.
    /// </remarks>
    public LstmStepGradients<T> Backward(Vector<T> x, Vector<T> hPrev, Vector<T> cPrev, LstmStep<T> step,
        Vector<T> gradHidden, Vector<T>? gradCell = null)
    {
        ArgumentNullException.ThrowIfNull(step);
        CellMath.CheckLength(x, InputSize, "x");
        CellMath.CheckLength(hPrev, HiddenSize, "hPrev");
        CellMath.CheckLength(cPrev, HiddenSize, "cPrev");
        CellMath.CheckLength(gradHidden, HiddenSize, "gradHidden");
        if (gradCell is not null) CellMath.CheckLength(gradCell, HiddenSize, "gradCell");

        var dO = OutputGateGradient(gradHidden, step.CellState);
        var dC = CellStateGradient(gradHidden, step.OutputGate, step.CellState, gradCell);
        var dF = ForgetGateGradient(dC, cPrev);
        var dI = InputGateGradient(dC, step.CandidateState);
        var dG = CandidateGradient(dC, step.InputGate);

        var aI = CellDerivatives.SigmoidBackward(step.InputGate, dI);
        var aF = CellDerivatives.SigmoidBackward(step.ForgetGate, dF);
        var aG = CellDerivatives.TanhBackward(step.CandidateState, dG);
        var aO = CellDerivatives.SigmoidBackward(step.OutputGate, dO);

        var dX = WeightIi.TransposeThisAndMultiply(aI) + WeightIf.TransposeThisAndMultiply(aF)
            + WeightIg.TransposeThisAndMultiply(aG) + WeightIo.TransposeThisAndMultiply(aO);
        var dHPrev = WeightHi.TransposeThisAndMultiply(aI) + WeightHf.TransposeThisAndMultiply(aF)
            + WeightHg.TransposeThisAndMultiply(aG) + WeightHo.TransposeThisAndMultiply(aO);
        var a = CellMath.Stack(aI, aF, aG, aO);
        return new LstmStepGradients<T>(dHPrev, PreviousCellStateGradient(dC, step.ForgetGate), dX,
            a.OuterProduct(x), a.OuterProduct(hPrev), a, a.Clone(), dI, dF, dG, dO, dC);
    }

    private Vector<T> Affine(Vector<T> x, Vector<T> hPrev, Matrix<T> wi, Vector<T> bi, Matrix<T> wh, Vector<T> bh)
    {
        CellMath.CheckLength(x, InputSize, "x");
        CellMath.CheckLength(hPrev, HiddenSize, "hPrev");
        return (wi * x + bi) + (wh * hPrev + bh);
    }
}

using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Recurrent;

/// <summary>
/// The GRU step written as its equations, one public method per equation, on MathNet vectors, for reading and
/// checking. Weights are PyTorch's, gates packed r, z, n; the reset placement and the update convention are
/// those of the cell (PyTorch's by default).
/// </summary>
/// <remarks>
/// <para>A single-step equation reader, not PyTorch's trainable <c>nn.GRUCell</c>: it holds copies of the weights
/// and has no parameters to train. Its <see cref="Backward"/> is one step of BPTT written as the chain rule through
/// each equation, for following by hand; training and speed are the layer's (<see cref="Gru{T}"/>,
/// <see cref="RecurrentLayer{T}"/>). Tests show the two agree step by step, forward and backward.</para>
/// </remarks>
public sealed class GruCell<T> where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
{
    /// <summary>Builds the cell from PyTorch-layout weights: weight_ih (3H, I), weight_hh (3H, H), biases (3H) or null.</summary>
    public GruCell(Matrix<T> weightIh, Matrix<T> weightHh, Vector<T>? biasIh = null, Vector<T>? biasHh = null,
        GruResetPlacement resetPlacement = GruResetPlacement.ResetAfter,
        GruUpdateConvention updateConvention = GruUpdateConvention.ZWeighsPrevious)
    {
        int h = HiddenSize = CellMath.CheckShapes(weightIh, weightHh, biasIh, biasHh, 3);
        InputSize = weightIh.ColumnCount;
        ResetPlacement = resetPlacement;
        UpdateConvention = updateConvention;
        WeightIr = CellMath.GateRows(weightIh, 0, h); WeightIz = CellMath.GateRows(weightIh, 1, h); WeightIn = CellMath.GateRows(weightIh, 2, h);
        WeightHr = CellMath.GateRows(weightHh, 0, h); WeightHz = CellMath.GateRows(weightHh, 1, h); WeightHn = CellMath.GateRows(weightHh, 2, h);
        BiasIr = CellMath.GateSlice(biasIh, 0, h); BiasIz = CellMath.GateSlice(biasIh, 1, h); BiasIn = CellMath.GateSlice(biasIh, 2, h);
        BiasHr = CellMath.GateSlice(biasHh, 0, h); BiasHz = CellMath.GateSlice(biasHh, 1, h); BiasHn = CellMath.GateSlice(biasHh, 2, h);
    }

    /// <summary>The cell of one layer and direction of a GRU layer, with copies of its current weights and its conventions.</summary>
    public static GruCell<T> FromLayer(RecurrentLayer<T> layer, int layerIndex = 0, bool reverse = false)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.Options.Kind != RecurrentKind.Gru)
            throw new ArgumentException($"A GruCell needs a GRU layer, got {layer.Options.Kind}.", nameof(layer));
        var (wih, whh, bih, bhh) = CellMath.FromLayer(layer, layerIndex, reverse);
        return new GruCell<T>(wih, whh, bih, bhh, layer.Options.ResetPlacement, layer.Options.UpdateConvention);
    }

    /// <summary>Features per input step I.</summary>
    public int InputSize { get; }

    /// <summary>Features of the hidden state H.</summary>
    public int HiddenSize { get; }

    /// <summary>Where the reset gate acts in <see cref="CandidateState"/>.</summary>
    public GruResetPlacement ResetPlacement { get; }

    /// <summary>Which state the update gate weighs in <see cref="HiddenState"/>.</summary>
    public GruUpdateConvention UpdateConvention { get; }

    /// <summary>W_ir: the reset-gate block of weight_ih, acting on x_t.</summary>
    public Matrix<T> WeightIr { get; }

    /// <summary>W_iz: the update-gate block of weight_ih, acting on x_t.</summary>
    public Matrix<T> WeightIz { get; }

    /// <summary>W_in: the candidate block of weight_ih, acting on x_t.</summary>
    public Matrix<T> WeightIn { get; }

    /// <summary>W_hr: the reset-gate block of weight_hh, acting on h_{t−1}.</summary>
    public Matrix<T> WeightHr { get; }

    /// <summary>W_hz: the update-gate block of weight_hh, acting on h_{t−1}.</summary>
    public Matrix<T> WeightHz { get; }

    /// <summary>W_hn: the candidate block of weight_hh, acting on h_{t−1}.</summary>
    public Matrix<T> WeightHn { get; }

    /// <summary>b_ir: the reset-gate block of bias_ih (zeros when the layer has no bias).</summary>
    public Vector<T> BiasIr { get; }

    /// <summary>b_iz: the update-gate block of bias_ih (zeros when the layer has no bias).</summary>
    public Vector<T> BiasIz { get; }

    /// <summary>b_in: the candidate block of bias_ih (zeros when the layer has no bias).</summary>
    public Vector<T> BiasIn { get; }

    /// <summary>b_hr: the reset-gate block of bias_hh (zeros when the layer has no bias).</summary>
    public Vector<T> BiasHr { get; }

    /// <summary>b_hz: the update-gate block of bias_hh (zeros when the layer has no bias).</summary>
    public Vector<T> BiasHz { get; }

    /// <summary>b_hn: the candidate block of bias_hh (zeros when the layer has no bias).</summary>
    public Vector<T> BiasHn { get; }

    /// <summary>r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr): how much of h_{t−1} the candidate may see.</summary>
    public Vector<T> ResetGate(Vector<T> x, Vector<T> hPrev)
    {
        Check(x, hPrev);
        return CellMath.Sigmoid((WeightIr * x + BiasIr) + (WeightHr * hPrev + BiasHr));
    }

    /// <summary>z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz): how the new state mixes h_{t−1} and the candidate.</summary>
    public Vector<T> UpdateGate(Vector<T> x, Vector<T> hPrev)
    {
        Check(x, hPrev);
        return CellMath.Sigmoid((WeightIz * x + BiasIz) + (WeightHz * hPrev + BiasHz));
    }

    /// <summary>
    /// The candidate n_t (h̃_t). Reset after (PyTorch): tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn));
    /// reset before (Cho et al. 2014; seeds 000, 001, 002, 004): tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn).
    /// </summary>
    public Vector<T> CandidateState(Vector<T> x, Vector<T> hPrev, Vector<T> resetGate)
    {
        Check(x, hPrev);
        CellMath.CheckLength(resetGate, HiddenSize, "resetGate");
        var recurrent = ResetPlacement == GruResetPlacement.ResetAfter
            ? resetGate.PointwiseMultiply(WeightHn * hPrev + BiasHn)
            : WeightHn * resetGate.PointwiseMultiply(hPrev) + BiasHn;
        return CellMath.Tanh((WeightIn * x + BiasIn) + recurrent);
    }

    /// <summary>
    /// h_t. ZWeighsPrevious (PyTorch, seed 004): (1 − z) ⊙ n + z ⊙ h_{t−1};
    /// ZWeighsCandidate (Chung et al. 2014; seeds 000, 001, 002, 003): z ⊙ h̃ + (1 − z) ⊙ h_{t−1}.
    /// </summary>
    public Vector<T> HiddenState(Vector<T> updateGate, Vector<T> candidate, Vector<T> hPrev)
    {
        CellMath.CheckLength(updateGate, HiddenSize, "updateGate");
        CellMath.CheckLength(candidate, HiddenSize, "candidate");
        CellMath.CheckLength(hPrev, HiddenSize, "hPrev");
        var oneMinusZ = updateGate.SubtractFrom(T.One);
        return UpdateConvention == GruUpdateConvention.ZWeighsPrevious
            ? oneMinusZ.PointwiseMultiply(candidate) + updateGate.PointwiseMultiply(hPrev)
            : updateGate.PointwiseMultiply(candidate) + oneMinusZ.PointwiseMultiply(hPrev);
    }

    /// <summary>One step with every intermediate.</summary>
    public GruStep<T> Step(Vector<T> x, Vector<T> hPrev)
    {
        var r = ResetGate(x, hPrev);
        var z = UpdateGate(x, hPrev);
        var n = CandidateState(x, hPrev, r);
        return new GruStep<T>(r, z, n, HiddenState(z, n, hPrev));
    }

    /// <summary>Runs the cell over a sequence from <paramref name="h0"/> (zeros when null); one step record per input.</summary>
    public IReadOnlyList<GruStep<T>> Run(IEnumerable<Vector<T>> inputs, Vector<T>? h0 = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var h = h0 ?? Vector<T>.Build.Dense(HiddenSize);
        var steps = new List<GruStep<T>>();
        foreach (var x in inputs)
        {
            var step = Step(x, h);
            steps.Add(step);
            h = step.HiddenState;
        }
        return steps;
    }

    /// <summary>
    /// ∂L/∂n_t from the blend: ∂L/∂h_t ⊙ (1 − z_t) when z weighs h_{t−1} (PyTorch, seed 004), ∂L/∂h_t ⊙ z_t when z
    /// weighs the candidate (seeds 000 to 003).
    /// </summary>
    public Vector<T> CandidateGradient(Vector<T> gradHidden, Vector<T> updateGate)
    {
        CellMath.CheckLength(gradHidden, HiddenSize, "gradHidden");
        CellMath.CheckLength(updateGate, HiddenSize, "updateGate");
        return gradHidden.PointwiseMultiply(UpdateConvention == GruUpdateConvention.ZWeighsPrevious ? updateGate.SubtractFrom(T.One) : updateGate);
    }

    /// <summary>
    /// ∂L/∂z_t from the blend: ∂L/∂h_t ⊙ (h_{t−1} − n_t) when z weighs h_{t−1}, ∂L/∂h_t ⊙ (n_t − h_{t−1}) when z
    /// weighs the candidate.
    /// </summary>
    public Vector<T> UpdateGateGradient(Vector<T> gradHidden, Vector<T> candidate, Vector<T> hPrev)
    {
        CellMath.CheckLength(gradHidden, HiddenSize, "gradHidden");
        CellMath.CheckLength(candidate, HiddenSize, "candidate");
        CellMath.CheckLength(hPrev, HiddenSize, "hPrev");
        return gradHidden.PointwiseMultiply(UpdateConvention == GruUpdateConvention.ZWeighsPrevious ? hPrev - candidate : candidate - hPrev);
    }

    /// <summary>
    /// The direct share of ∂L/∂h_{t−1}, through the blend alone: ∂L/∂h_t ⊙ z_t when z weighs h_{t−1},
    /// ∂L/∂h_t ⊙ (1 − z_t) when z weighs the candidate. No weight matrix and no tanh lie on this path.
    /// </summary>
    public Vector<T> CarriedStateGradient(Vector<T> gradHidden, Vector<T> updateGate)
    {
        CellMath.CheckLength(gradHidden, HiddenSize, "gradHidden");
        CellMath.CheckLength(updateGate, HiddenSize, "updateGate");
        return gradHidden.PointwiseMultiply(UpdateConvention == GruUpdateConvention.ZWeighsPrevious ? updateGate : updateGate.SubtractFrom(T.One));
    }

    /// <summary>
    /// ∂L/∂r_t from the candidate, given ∂L/∂a_n (the gradient of the candidate's pre-activation). Reset after:
    /// ∂L/∂a_n ⊙ (W_hn h_{t−1} + b_hn); reset before: h_{t−1} ⊙ W_hnᵀ ∂L/∂a_n.
    /// </summary>
    public Vector<T> ResetGateGradient(Vector<T> gradCandidatePreActivation, Vector<T> hPrev)
    {
        CellMath.CheckLength(gradCandidatePreActivation, HiddenSize, "gradCandidatePreActivation");
        CellMath.CheckLength(hPrev, HiddenSize, "hPrev");
        return ResetPlacement == GruResetPlacement.ResetAfter
            ? gradCandidatePreActivation.PointwiseMultiply(WeightHn * hPrev + BiasHn)
            : hPrev.PointwiseMultiply(WeightHn.TransposeThisAndMultiply(gradCandidatePreActivation));
    }

    /// <summary>
    /// One step of back-propagation through time. Given the step's inputs (x_t, h_{t−1}), its forward record and
    /// ∂L/∂h_t (everything that reaches h_t: the output's gradient plus what step t+1 passed back), returns
    /// ∂L/∂h_{t−1}, ∂L/∂x_t and this step's share of the parameter gradients, for the cell's reset placement and
    /// update convention.
    /// </summary>
    /// <remarks>
    /// With a_r, a_z, a_n the gates' pre-activations: ∂L/∂W_ik = ∂L/∂a_k x_tᵀ, ∂L/∂x_t = Σ_k W_ikᵀ ∂L/∂a_k. On the
    /// recurrent side r and z are as the LSTM's gates (∂L/∂W_hk = ∂L/∂a_k h_{t−1}ᵀ); the candidate's recurrent product
    /// sees r ⊙ (W_hn h_{t−1} + b_hn) when the reset acts after it, so it receives r ⊙ ∂L/∂a_n, and sees r ⊙ h_{t−1}
    /// when the reset acts before it, so ∂L/∂W_hn = ∂L/∂a_n (r ⊙ h_{t−1})ᵀ. Over a sequence the parameter gradients
    /// of all steps add up.
    /// </remarks>
    public GruStepGradients<T> Backward(Vector<T> x, Vector<T> hPrev, GruStep<T> step, Vector<T> gradHidden)
    {
        ArgumentNullException.ThrowIfNull(step);
        Check(x, hPrev);
        CellMath.CheckLength(gradHidden, HiddenSize, "gradHidden");

        var dN = CandidateGradient(gradHidden, step.UpdateGate);
        var dZ = UpdateGateGradient(gradHidden, step.CandidateState, hPrev);
        var aN = CellDerivatives.TanhBackward(step.CandidateState, dN);
        var dR = ResetGateGradient(aN, hPrev);
        var aZ = CellDerivatives.SigmoidBackward(step.UpdateGate, dZ);
        var aR = CellDerivatives.SigmoidBackward(step.ResetGate, dR);

        var dX = WeightIr.TransposeThisAndMultiply(aR) + WeightIz.TransposeThisAndMultiply(aZ) + WeightIn.TransposeThisAndMultiply(aN);
        var dHPrev = CarriedStateGradient(gradHidden, step.UpdateGate)
            + WeightHr.TransposeThisAndMultiply(aR) + WeightHz.TransposeThisAndMultiply(aZ);
        Matrix<T> dWhn;
        Vector<T> dBhn;
        if (ResetPlacement == GruResetPlacement.ResetAfter)
        {
            dBhn = aN.PointwiseMultiply(step.ResetGate); // ∂L/∂(W_hn h_{t−1} + b_hn)
            dWhn = dBhn.OuterProduct(hPrev);
            dHPrev += WeightHn.TransposeThisAndMultiply(dBhn);
        }
        else
        {
            dBhn = aN;
            dWhn = aN.OuterProduct(step.ResetGate.PointwiseMultiply(hPrev));
            dHPrev += step.ResetGate.PointwiseMultiply(WeightHn.TransposeThisAndMultiply(aN));
        }
        var a = CellMath.Stack(aR, aZ, aN);
        var dWhh = CellMath.Stack(aR.OuterProduct(hPrev), aZ.OuterProduct(hPrev), dWhn);
        return new GruStepGradients<T>(dHPrev, dX, a.OuterProduct(x), dWhh, a, CellMath.Stack(aR, aZ, dBhn), dR, dZ, dN);
    }

    private void Check(Vector<T> x, Vector<T> hPrev)
    {
        CellMath.CheckLength(x, InputSize, "x");
        CellMath.CheckLength(hPrev, HiddenSize, "hPrev");
    }
}

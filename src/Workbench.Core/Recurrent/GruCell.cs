using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Recurrent;

/// <summary>
/// The GRU step written as its equations, one public method per equation, on MathNet vectors, for reading and
/// checking. Weights are PyTorch's, gates packed r, z, n; the reset placement and the update convention are
/// those of the cell (PyTorch's by default).
/// </summary>
/// <remarks>
/// <para>A single-step equation reader, not PyTorch's trainable <c>nn.GRUCell</c>: it holds copies of the weights,
/// has no parameters to train and no backward pass. Training and speed are the layer's (<see cref="Gru{T}"/>,
/// <see cref="RecurrentLayer{T}"/>); tests show the two agree step by step.</para>
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
    /// reset before (Cho et al. 2014, the seeds): tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn).
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

    private void Check(Vector<T> x, Vector<T> hPrev)
    {
        CellMath.CheckLength(x, InputSize, "x");
        CellMath.CheckLength(hPrev, HiddenSize, "hPrev");
    }
}

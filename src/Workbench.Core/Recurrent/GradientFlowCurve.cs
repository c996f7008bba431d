namespace Workbench.Recurrent;

/// <summary>What <see cref="GradientFlow.ByDistance"/> measures, indexed by the distance d = T − t = 0..T.</summary>
/// <param name="Hidden">Mean over the batch of ‖∂L/∂h_{T−d}‖.</param>
/// <param name="Cell">Mean over the batch of ‖∂L/∂C_{T−d}‖ for the LSTM (element 0 is 0: the loss reads h_T only);
/// null for the RNN and the GRU.</param>
public sealed record GradientFlowCurve(double[] Hidden, double[]? Cell)
{
    /// <summary>
    /// The geometric mean factor by which ‖∂L/∂h‖ shrinks per step between distances <paramref name="from"/> and
    /// <paramref name="to"/>: (Hidden[to] / Hidden[from])^(1 / (to − from)).
    /// </summary>
    public double HiddenDecayPerStep(int from, int to) => DecayPerStep(Hidden, from, to);

    /// <summary>The same for ‖∂L/∂C‖ (LSTM only).</summary>
    public double CellDecayPerStep(int from, int to) =>
        DecayPerStep(Cell ?? throw new InvalidOperationException("Only an LSTM's curve has a cell-state part."), from, to);

    /// <summary>Hidden[d] / Hidden[0]: the fraction of the gradient at h_T that reaches h_{T−d}.</summary>
    public double HiddenRatio(int distance) => Hidden[distance] / Hidden[0];

    private static double DecayPerStep(double[] norms, int from, int to)
    {
        if (from < 0 || to <= from || to >= norms.Length)
            throw new ArgumentOutOfRangeException(nameof(to), $"Distances must satisfy 0 ≤ from < to ≤ {norms.Length - 1}; got {from} and {to}.");
        return Math.Pow(norms[to] / norms[from], 1.0 / (to - from));
    }
}

using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

/// <summary>
/// How much of a loss's gradient reaches earlier states: for L = Σ_b w_bᵀ h_T,b, the mean over the batch of
/// ‖∂L/∂h_t‖ (and, for the LSTM, ‖∂L/∂C_t‖) at every distance T − t. The vanishing-gradient measurement of
/// notebook 04.
/// </summary>
/// <remarks>
/// Exact, not estimated: the layer is run over x_1..x_t to get the state at t, restarted from that state over
/// x_{t+1}..x_T, and back-propagated from ∂L/∂h_T = w; the gradient the layer returns for its initial state is
/// ∂L/∂h_t. Costs O(T²) steps, which is nothing at the lengths a notebook uses.
/// </remarks>
public static class GradientFlow
{
    /// <summary>
    /// Mean gradient norms by distance: element d of <see cref="GradientFlowCurve.Hidden"/> is the mean over the
    /// batch of ‖∂L/∂h_{T−d}‖, d = 0..T (d = 0 is ‖w‖); <see cref="GradientFlowCurve.Cell"/> the same for C_t
    /// (LSTM only). <paramref name="input"/> is (T, B, I), <paramref name="direction"/> w is (1, B, H). The layer's
    /// parameter gradients are zeroed afterwards.
    /// </summary>
    public static GradientFlowCurve ByDistance<T>(RecurrentLayer<T> layer, NdArray<T> input, NdArray<T> direction)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(direction);
        if (layer.NumLayers != 1 || layer.NumDirections != 1)
            throw new ArgumentException($"GradientFlow needs a single-layer, one-direction layer; this one has {layer.NumLayers} layers and {layer.NumDirections} directions.", nameof(layer));
        if (input.Rank != 3 || input.Shape[0] < 1 || input.Shape[2] != layer.InputSize)
            throw new ArgumentException($"GradientFlow input must be (T ≥ 1, B, {layer.InputSize}); got {NdArray<T>.FormatShape(input.Shape)}.", nameof(input));
        int length = input.Shape[0], batch = input.Shape[1], hidden = layer.HiddenSize;
        direction.RequireShape(nameof(direction), 1, batch, hidden);
        bool lstm = layer.Options.Kind == RecurrentKind.Lstm;

        var hiddenNorms = new double[length + 1];
        var cellNorms = lstm ? new double[length + 1] : null;
        hiddenNorms[0] = MeanNorm(direction, batch, hidden);
        var zeroState = NdArray<T>.Zeros(1, batch, hidden);
        for (int t = 0; t < length; t++)
        {
            // The state after x_1..x_t (zero at t = 0), then a restart from it over the remaining steps.
            var (h, c) = (zeroState, lstm ? zeroState : null);
            if (t > 0)
            {
                var prefix = layer.Forward(Steps(input, 0, t));
                (h, c) = (prefix.Hn, prefix.Cn);
            }
            layer.Forward(Steps(input, t, length), h0: h, c0: c);
            var gradients = layer.Backward(NdArray<T>.Zeros(length - t, batch, hidden), gradHn: direction,
                gradCn: lstm ? zeroState : null);
            hiddenNorms[length - t] = MeanNorm(gradients.H0, batch, hidden);
            if (cellNorms is not null) cellNorms[length - t] = MeanNorm(gradients.C0!, batch, hidden);
        }
        layer.ZeroGrad();
        return new GradientFlowCurve(hiddenNorms, cellNorms);
    }

    /// <summary>Steps [from, to) of a (T, B, F) array, as a copy.</summary>
    private static NdArray<T> Steps<T>(NdArray<T> a, int from, int to) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int stride = a.Shape[1] * a.Shape[2];
        return new NdArray<T>(a.Data.AsSpan(from * stride, (to - from) * stride).ToArray(), to - from, a.Shape[1], a.Shape[2]);
    }

    /// <summary>The mean over the batch of the Euclidean norm of each sequence's H-vector, in double.</summary>
    private static double MeanNorm<T>(NdArray<T> g, int batch, int hidden) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            double squares = 0;
            for (int j = 0; j < hidden; j++)
            {
                double v = double.CreateChecked(g.Data[b * hidden + j]);
                squares += v * v;
            }
            sum += Math.Sqrt(squares);
        }
        return sum / batch;
    }
}

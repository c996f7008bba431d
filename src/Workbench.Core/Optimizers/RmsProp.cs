using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Optimizers;

/// <summary>
/// RMSProp as torch.optim.RMSprop (1.13): g ← g + λθ; v ← αv + (1 − α)g²; centered: m ← αm + (1 − α)g and
/// a = √(v − m²), else a = √v; a ← a + ε; with momentum μ: b ← μb + g/a, θ ← θ − lr·b; else θ ← θ − lr·g/a.
/// </summary>
public sealed class RmsProp<T> : Optimizer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static readonly string[] Names = ["square_avg", "grad_avg", "momentum_buffer"];

    /// <summary>Creates the optimizer; arguments and defaults as torch.optim.RMSprop.</summary>
    public RmsProp(IEnumerable<Parameter<T>> parameters, double learningRate = 1e-2, double alpha = 0.99, double eps = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false) : base(parameters, learningRate)
    {
        if (alpha < 0) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Must be non-negative.");
        if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "Must be non-negative.");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Must be non-negative.");
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Must be non-negative.");
        Alpha = alpha;
        Eps = eps;
        WeightDecay = weightDecay;
        Momentum = momentum;
        Centered = centered;
    }

    /// <summary>α, the smoothing constant.</summary>
    public double Alpha { get; }
    /// <summary>ε.</summary>
    public double Eps { get; }
    /// <summary>λ.</summary>
    public double WeightDecay { get; }
    /// <summary>μ.</summary>
    public double Momentum { get; }
    /// <summary>Whether to normalize by the estimated variance instead of the raw second moment.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    public override string Kind => "RMSprop";

    /// <inheritdoc/>
    protected override IReadOnlyCollection<string> BufferNames => Names;

    /// <inheritdoc/>
    protected override void Update(int index, Parameter<T> parameter, long step)
    {
        Span<T> theta = parameter.Value.Data;
        ReadOnlySpan<T> grad = parameter.Grad.Data;
        Span<T> square = Buffer(index, Names[0]);
        Span<T> average = Centered ? Buffer(index, Names[1]) : default;
        Span<T> momentum = Momentum > 0 ? Buffer(index, Names[2]) : default;
        T wd = Scalar(WeightDecay), alpha = Scalar(Alpha), oneMinusAlpha = Scalar(1 - Alpha), eps = Scalar(Eps);
        T mu = Scalar(Momentum), negLr = Scalar(-LearningRate);
        bool decay = WeightDecay != 0;
        for (int i = 0; i < theta.Length; i++)
        {
            T g = decay ? grad[i] + wd * theta[i] : grad[i];
            square[i] = square[i] * alpha + oneMinusAlpha * g * g;
            T avg;
            if (Centered)
            {
                average[i] = average[i] * alpha + oneMinusAlpha * g;
                avg = T.Sqrt(square[i] - average[i] * average[i]);
            }
            else avg = T.Sqrt(square[i]);
            avg += eps;
            if (Momentum > 0)
            {
                momentum[i] = momentum[i] * mu + g / avg;
                theta[i] += negLr * momentum[i];
            }
            else theta[i] += negLr * (g / avg);
        }
    }
}

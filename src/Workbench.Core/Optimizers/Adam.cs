using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Optimizers;

/// <summary>
/// Adam as torch.optim.Adam (1.13): g ← g + λθ (L2, coupled); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
/// v̂ = max(v̂, v) with amsgrad; θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
/// </summary>
public class Adam<T> : Optimizer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static readonly string[] Names = ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"];

    /// <summary>Creates the optimizer; arguments and defaults as torch.optim.Adam.</summary>
    public Adam(IEnumerable<Parameter<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0, bool amsgrad = false) : base(parameters, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be in [0, 1).");
        if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "Must be non-negative.");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Must be non-negative.");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        AmsGrad = amsgrad;
    }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }
    /// <summary>β₂.</summary>
    public double Beta2 { get; }
    /// <summary>ε.</summary>
    public double Eps { get; }
    /// <summary>λ: added to the gradient by Adam, decoupled (applied to θ directly) by AdamW.</summary>
    public double WeightDecay { get; }
    /// <summary>Whether to use the running maximum of v (AMSGrad).</summary>
    public bool AmsGrad { get; }

    /// <inheritdoc/>
    public override string Kind => "Adam";

    /// <summary>True for AdamW's decoupled weight decay.</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc/>
    protected override IReadOnlyCollection<string> BufferNames => Names;

    /// <inheritdoc/>
    protected override void Update(int index, Parameter<T> parameter, long step)
    {
        Span<T> theta = parameter.Value.Data;
        ReadOnlySpan<T> grad = parameter.Grad.Data;
        Span<T> m = Buffer(index, Names[0]);
        Span<T> v = Buffer(index, Names[1]);
        Span<T> vMax = AmsGrad ? Buffer(index, Names[2]) : default;
        double biasCorrection1 = 1 - Math.Pow(Beta1, step);
        double biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, step));
        T beta1 = Scalar(Beta1), oneMinusBeta1 = Scalar(1 - Beta1), beta2 = Scalar(Beta2), oneMinusBeta2 = Scalar(1 - Beta2);
        T eps = Scalar(Eps), wd = Scalar(WeightDecay), bc2Sqrt = Scalar(biasCorrection2Sqrt);
        T negStepSize = Scalar(-(LearningRate / biasCorrection1));
        bool coupled = WeightDecay != 0 && !DecoupledWeightDecay;
        bool decoupled = WeightDecay != 0 && DecoupledWeightDecay;
        T shrink = Scalar(1 - LearningRate * WeightDecay);
        for (int i = 0; i < theta.Length; i++)
        {
            if (decoupled) theta[i] *= shrink;
            T g = coupled ? grad[i] + wd * theta[i] : grad[i];
            m[i] = m[i] * beta1 + oneMinusBeta1 * g;
            v[i] = v[i] * beta2 + oneMinusBeta2 * g * g;
            T second = v[i];
            if (AmsGrad)
            {
                vMax[i] = T.Max(vMax[i], v[i]);
                second = vMax[i];
            }
            T denom = T.Sqrt(second) / bc2Sqrt + eps;
            theta[i] += negStepSize * (m[i] / denom);
        }
    }
}

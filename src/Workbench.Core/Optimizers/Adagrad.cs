using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Optimizers;

/// <summary>
/// Adagrad as torch.optim.Adagrad (1.13): g ← g + λθ; lr_t = lr / (1 + (t − 1)·decay); s ← s + g²;
/// θ ← θ − lr_t · g / (√s + ε).
/// </summary>
public sealed class Adagrad<T> : Optimizer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static readonly string[] Names = ["sum"];

    /// <summary>Creates the optimizer; arguments and defaults as torch.optim.Adagrad.</summary>
    public Adagrad(IEnumerable<Parameter<T>> parameters, double learningRate = 1e-2, double learningRateDecay = 0,
        double weightDecay = 0, double initialAccumulatorValue = 0, double eps = 1e-10) : base(parameters, learningRate)
    {
        if (learningRateDecay < 0) throw new ArgumentOutOfRangeException(nameof(learningRateDecay), learningRateDecay, "Must be non-negative.");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Must be non-negative.");
        if (initialAccumulatorValue < 0) throw new ArgumentOutOfRangeException(nameof(initialAccumulatorValue), initialAccumulatorValue, "Must be non-negative.");
        if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "Must be non-negative.");
        LearningRateDecay = learningRateDecay;
        WeightDecay = weightDecay;
        InitialAccumulatorValue = initialAccumulatorValue;
        Eps = eps;
    }

    /// <summary>lr_decay.</summary>
    public double LearningRateDecay { get; }
    /// <summary>λ.</summary>
    public double WeightDecay { get; }
    /// <summary>Initial value of the sum of squares.</summary>
    public double InitialAccumulatorValue { get; }
    /// <summary>ε.</summary>
    public double Eps { get; }

    /// <inheritdoc/>
    public override string Kind => "Adagrad";

    /// <inheritdoc/>
    protected override IReadOnlyCollection<string> BufferNames => Names;

    /// <inheritdoc/>
    protected override void Update(int index, Parameter<T> parameter, long step)
    {
        Span<T> theta = parameter.Value.Data;
        ReadOnlySpan<T> grad = parameter.Grad.Data;
        Span<T> sum = Buffer(index, Names[0], Scalar(InitialAccumulatorValue));
        T wd = Scalar(WeightDecay), eps = Scalar(Eps);
        T negClr = Scalar(-(LearningRate / (1 + (step - 1) * LearningRateDecay)));
        bool decay = WeightDecay != 0;
        for (int i = 0; i < theta.Length; i++)
        {
            T g = decay ? grad[i] + wd * theta[i] : grad[i];
            sum[i] += g * g;
            T std = T.Sqrt(sum[i]) + eps;
            theta[i] += negClr * (g / std);
        }
    }
}

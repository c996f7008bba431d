using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Optimizers;

/// <summary>
/// Stochastic gradient descent as torch.optim.SGD (1.13): d = g + λθ; with momentum μ,
/// b ← d on the first step and b ← μb + (1 − τ)d after; d = d + μb (Nesterov) or d = b; θ ← θ − lr·d.
/// </summary>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static readonly string[] Names = ["momentum_buffer"];

    /// <summary>Creates the optimizer; arguments as torch.optim.SGD.</summary>
    public Sgd(IEnumerable<Parameter<T>> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false) : base(parameters, learningRate)
    {
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be non-negative.");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be non-negative.");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a positive momentum and zero dampening.");
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }
    /// <summary>τ.</summary>
    public double Dampening { get; }
    /// <summary>λ (L2 penalty added to the gradient).</summary>
    public double WeightDecay { get; }
    /// <summary>Whether to use Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    public override string Kind => "SGD";

    /// <inheritdoc/>
    protected override IReadOnlyCollection<string> BufferNames => Names;

    /// <inheritdoc/>
    protected override void Update(int index, Parameter<T> parameter, long step)
    {
        Span<T> theta = parameter.Value.Data;
        ReadOnlySpan<T> grad = parameter.Grad.Data;
        T wd = Scalar(WeightDecay), mu = Scalar(Momentum), keep = Scalar(1 - Dampening), negLr = Scalar(-LearningRate);
        bool decay = WeightDecay != 0, momentum = Momentum != 0;
        bool first = momentum && !HasBuffer(index, Names[0]);
        Span<T> buffer = momentum ? Buffer(index, Names[0]) : default;
        for (int i = 0; i < theta.Length; i++)
        {
            T d = decay ? grad[i] + wd * theta[i] : grad[i];
            if (momentum)
            {
                buffer[i] = first ? d : buffer[i] * mu + keep * d;
                d = Nesterov ? d + mu * buffer[i] : buffer[i];
            }
            theta[i] += negLr * d;
        }
    }
}

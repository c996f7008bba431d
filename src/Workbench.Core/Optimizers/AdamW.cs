using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Optimizers;

/// <summary>
/// AdamW as torch.optim.AdamW (1.13): θ ← θ·(1 − lr·λ) first (decay decoupled from the gradient), then Adam's update
/// without the L2 term. Default λ is 0.01.
/// </summary>
public sealed class AdamW<T> : Adam<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer; arguments and defaults as torch.optim.AdamW.</summary>
    public AdamW(IEnumerable<Parameter<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay, amsgrad)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "AdamW";

    /// <inheritdoc/>
    protected override bool DecoupledWeightDecay => true;
}

using System.Numerics;

namespace Workbench.Recurrent;

/// <summary>
/// What both GRU steps share (gates packed r, z, n as <c>torch.nn.GRU</c>): the reset and update gates
/// <code>
/// r = σ(x W_irᵀ + b_ir + h_{t−1} W_hrᵀ + b_hr)    z = σ(x W_izᵀ + b_iz + h_{t−1} W_hzᵀ + b_hz)
/// </code>
/// and the update that blends the candidate n with h_{t−1}:
/// <code>
/// h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}     (ZWeighsPrevious: PyTorch, Cho et al. 2014)
/// h_t = z ⊙ n + (1 − z) ⊙ h_{t−1}     (ZWeighsCandidate: Chung et al. 2014, seeds 000 to 003)
/// </code>
/// The candidate is where the two placements differ (<see cref="GruResetAfterKernel{T}"/>,
/// <see cref="GruResetBeforeKernel{T}"/>).
/// </summary>
/// <remarks>
/// The GRU is the one recurrence here in which h_{t−1} also reaches h_t directly, through the blend (the LSTM's
/// direct path runs through c). So its backward step first writes that direct share, ∂h_t ⊙ (weight of h_{t−1}),
/// into ∂h, and the product through W_hh then adds to it (β = 1); the RNN and LSTM kernels overwrite ∂h (β = 0).
/// </remarks>
internal abstract class GruKernel<T>(RecurrentLayerOptions options, RecurrentGemm gemm) : RecurrentKernel<T>(options, gemm)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>True for PyTorch's convention: z weighs h_{t−1}.</summary>
    protected bool ZWeighsPrevious { get; } = options.UpdateConvention == GruUpdateConvention.ZWeighsPrevious;

    /// <inheritdoc/>
    public override bool HasStepAux => true;

    /// <summary>
    /// h_t from z, the candidate and h_{t−1}; written as two products (not n + z ⊙ (h_{t−1} − n)) so that z = 0 or 1
    /// gives n or h_{t−1} exactly.
    /// </summary>
    protected void Update(ReadOnlySpan<T> z, ReadOnlySpan<T> candidate, ReadOnlySpan<T> hPrev, Span<T> h) =>
        GateKernels.Blend(z, candidate, hPrev, h, ZWeighsPrevious);
}

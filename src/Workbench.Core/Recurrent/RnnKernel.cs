using System.Numerics;
using System.Numerics.Tensors;

namespace Workbench.Recurrent;

/// <summary>
/// The Elman RNN step, as <c>torch.nn.RNN</c>:
/// <code>
/// h_t = act(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh),   act = tanh or ReLU
/// </code>
/// Backward: ∂pre = ∂h_t ⊙ act′(pre), from the stored output h_t (act′ = 1 − h_t² for tanh, [h_t &gt; 0] for ReLU);
/// ∂h_{t−1} = ∂pre W_hh. h_{t−1} reaches h_t only through the pre-activation, so that product is all of ∂h_{t−1}.
/// </summary>
internal sealed class RnnKernel<T>(RecurrentLayerOptions options, RecurrentGemm gemm) : RecurrentKernel<T>(options, gemm)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly bool _relu = options.Kind == RecurrentKind.RnnRelu;

    /// <inheritdoc/>
    public override void Forward(DirectionWorkspace<T> workspace, in ForwardStep<T> step)
    {
        Span<T> a = step.Gates;
        TensorPrimitives.Add(a, RecurrentProduct(workspace, step.Active, H, step.PreviousState, step.WeightHh, step.BiasHh), a);
        if (_relu) TensorPrimitives.Max(a, T.Zero, a);
        else TensorPrimitives.Tanh(a, a);
        a.CopyTo(step.State);
    }

    /// <inheritdoc/>
    public override void Backward(DirectionWorkspace<T> workspace, in BackwardStep<T> step)
    {
        int n = step.Active;
        ReadOnlySpan<T> h = step.Gates;
        Span<T> gradPre = step.GradInputSide;
        ReadOnlySpan<T> dhActive = step.GradState.Slice(0, n * H);
        if (_relu)
        {
            for (int i = 0; i < gradPre.Length; i++) gradPre[i] = h[i] > T.Zero ? dhActive[i] : T.Zero;
        }
        else
        {
            TensorPrimitives.Multiply(h, h, gradPre);
            TensorPrimitives.Subtract(T.One, gradPre, gradPre);
            TensorPrimitives.Multiply(gradPre, dhActive, gradPre);
        }
        // ∂h_{t−1} = ∂pre W_hh, replacing ∂h_t (β = 0): no other path from h_{t−1} to h_t.
        Gemm.Multiply(false, false, n, H, GH, T.One, step.GradRecurrentSide, GH, step.WeightHh, H, T.Zero, step.GradState, H);
    }
}

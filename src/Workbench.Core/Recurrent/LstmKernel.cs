using System.Numerics;
using System.Numerics.Tensors;

namespace Workbench.Recurrent;

/// <summary>
/// The LSTM step, as <c>torch.nn.LSTM</c> (gates packed i, f, g, o):
/// <code>
/// i = σ(x W_iiᵀ + b_ii + h_{t−1} W_hiᵀ + b_hi)     f = σ(x W_ifᵀ + b_if + h_{t−1} W_hfᵀ + b_hf)
/// g = tanh(x W_igᵀ + b_ig + h_{t−1} W_hgᵀ + b_hg)  o = σ(x W_ioᵀ + b_io + h_{t−1} W_hoᵀ + b_ho)
/// c_t = f ⊙ c_{t−1} + i ⊙ g                         h_t = o ⊙ tanh(c_t)
/// </code>
/// Backward: ∂c_t += ∂h_t ⊙ o ⊙ (1 − tanh² c_t); ∂o = ∂h_t ⊙ tanh c_t; ∂i = ∂c_t ⊙ g; ∂f = ∂c_t ⊙ c_{t−1};
/// ∂g = ∂c_t ⊙ i (each through its activation's derivative); ∂c_{t−1} = ∂c_t ⊙ f; ∂h_{t−1} = ∂pre W_hh. The
/// LSTM's direct path runs through the cell state (∂c_{t−1}), so the product is all of ∂h_{t−1}.
/// </summary>
internal sealed class LstmKernel<T>(RecurrentLayerOptions options, RecurrentGemm gemm) : RecurrentKernel<T>(options, gemm)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override bool HasCellState => true;

    /// <inheritdoc/>
    public override void Forward(DirectionWorkspace<T> workspace, in ForwardStep<T> step)
    {
        int n = step.Active;
        Span<T> a = step.Gates;
        TensorPrimitives.Add(a, RecurrentProduct(workspace, n, GH, step.PreviousState, step.WeightHh, step.BiasHh), a);
        for (int r = 0; r < n; r++)
        {
            Span<T> row = a.Slice(r * GH, GH);
            TensorPrimitives.Sigmoid(row.Slice(0, 2 * H), row.Slice(0, 2 * H));
            TensorPrimitives.Tanh(row.Slice(2 * H, H), row.Slice(2 * H, H));
            TensorPrimitives.Sigmoid(row.Slice(3 * H, H), row.Slice(3 * H, H));
            ReadOnlySpan<T> i = row.Slice(0, H), f = row.Slice(H, H), g = row.Slice(2 * H, H), og = row.Slice(3 * H, H);
            Span<T> c = step.Cell.Slice(r * H, H), tc = step.TanhCell.Slice(r * H, H);
            // c_t = f ⊙ c_{t−1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)
            TensorPrimitives.Multiply(f, step.PreviousCell.Slice(r * H, H), c);
            TensorPrimitives.MultiplyAdd(i, g, c, c);
            TensorPrimitives.Tanh(c, tc);
            TensorPrimitives.Multiply(og, tc, step.State.Slice(r * H, H));
        }
    }

    /// <inheritdoc/>
    public override void Backward(DirectionWorkspace<T> workspace, in BackwardStep<T> step)
    {
        int n = step.Active;
        // Every gate of a row in one fused pass (GateKernels.LstmBackward holds the equations of the class summary).
        for (int r = 0; r < n; r++)
            GateKernels.LstmBackward<T>(step.Gates.Slice(r * GH, GH), step.TanhCell.Slice(r * H, H), step.PreviousCell.Slice(r * H, H),
                step.GradState.Slice(r * H, H), step.GradCell.Slice(r * H, H), step.GradInputSide.Slice(r * GH, GH));
        // ∂h_{t−1} = ∂pre W_hh, replacing ∂h_t (β = 0): h_{t−1} reaches h_t only through the gates.
        Gemm.Multiply(false, false, n, H, GH, T.One, step.GradRecurrentSide, GH, step.WeightHh, H, T.Zero, step.GradState, H);
    }
}

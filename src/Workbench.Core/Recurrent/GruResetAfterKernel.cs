using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Workbench.Recurrent;

/// <summary>
/// The GRU step with the reset gate after the recurrent product, as <c>torch.nn.GRU</c> and cuDNN:
/// <code>
/// n = tanh(x W_inᵀ + b_in + r ⊙ (h_{t−1} W_hnᵀ + b_hn))
/// </code>
/// (r, z and the update: <see cref="GruKernel{T}"/>.) All three recurrent products are one GEMM before the gates;
/// q = h_{t−1} W_hnᵀ + b_hn is kept per step for the backward pass.
/// Backward: ∂n_pre = ∂h_t ⊙ (weight of n) ⊙ (1 − n²); ∂z_pre = ∂h_t ⊙ ±(h_{t−1} − n) ⊙ z(1 − z);
/// ∂r_pre = ∂n_pre ⊙ q ⊙ r(1 − r). The recurrent side equals the input side except for the candidate, whose
/// recurrent pre-activation is r ⊙ ∂n_pre; so the two sides are kept apart. ∂h_{t−1} = ∂h_t ⊙ (weight of h_{t−1})
/// + ∂(recurrent side) W_hh.
/// For float on AVX2 or AVX-512 the forward step is <see cref="GruFusedStep"/> (product and gate math in one pass);
/// otherwise one GEMM, then the gate math row by row.
/// </summary>
internal sealed class GruResetAfterKernel<T>(RecurrentLayerOptions options, RecurrentGemm gemm) : GruKernel<T>(options, gemm)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private FusedLanes _lanes = typeof(T) == typeof(float) ? FusedLanesSupport.Best : FusedLanes.None;

    /// <inheritdoc/>
    public override bool SeparateRecurrentGradients => true;

    /// <inheritdoc/>
    public override bool AddsInputBias => _lanes != FusedLanes.None;

    /// <inheritdoc/>
    public override bool StepsRowsApart => _lanes != FusedLanes.None;

    /// <inheritdoc/>
    public override void PrepareRowParts(DirectionWorkspace<T> workspace, int parts) =>
        workspace.EnsureRowPartSteps<GruFusedStep>(parts);

    /// <inheritdoc/>
    public override FusedLanes Lanes
    {
        get => _lanes;
        set
        {
            if (value != FusedLanes.None && typeof(T) != typeof(float))
                throw new ArgumentException($"The fused GRU step runs on float only, not {typeof(T).Name}.", nameof(value));
            if (!FusedLanesSupport.IsSupported(value))
                throw new ArgumentException($"This machine cannot run the fused GRU step at {value} (best: {FusedLanesSupport.Best}).", nameof(value));
            _lanes = value;
        }
    }

    /// <inheritdoc/>
    public override void BeginDirection(DirectionWorkspace<T> workspace, ReadOnlySpan<T> weightHh)
    {
        if (_lanes == FusedLanes.None) return;
        int length = GruFusedStep.PackedLength(H, H, _lanes);
        if (workspace.PackedWeightHh.Length < length) workspace.PackedWeightHh = new T[length];
        if (workspace.ZeroBias.Length < GH) workspace.ZeroBias = new T[GH];
        GruFusedStep.Pack(MemoryMarshal.Cast<T, float>(weightHh), H, H, _lanes, MemoryMarshal.Cast<T, float>(workspace.PackedWeightHh.AsSpan()));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Only products the GEMM would run unpacked (a single sequence: T·B rows × a narrow input), where its dot-product
    /// path with a horizontal sum per element is slow; the register tile streams them instead.
    /// </remarks>
    public override bool ProjectInput(DirectionWorkspace<T> workspace, ReadOnlySpan<T> x, int rows, int width, ReadOnlySpan<T> weightIh, Span<T> gates)
    {
        if (_lanes == FusedLanes.None || (long)rows * GH * width > Workbench.Numerics.ManagedGemm.SmallWork) return false;
        int length = GruFusedStep.PackedLength(H, width, _lanes);
        if (workspace.PackedWeightIh.Length < length) workspace.PackedWeightIh = new T[length];
        Span<float> packed = MemoryMarshal.Cast<T, float>(workspace.PackedWeightIh.AsSpan());
        GruFusedStep.Pack(MemoryMarshal.Cast<T, float>(weightIh), H, width, _lanes, packed);
        int threads = Gemm.SingleThreaded ? 1 : Workbench.Numerics.Gemm.ThreadCount;
        GruFusedStep.Project(_lanes, rows, H, width, MemoryMarshal.Cast<T, float>(x), packed, MemoryMarshal.Cast<T, float>(gates), threads);
        return true;
    }

    /// <inheritdoc/>
    public override void Forward(DirectionWorkspace<T> workspace, in ForwardStep<T> step)
    {
        int n = step.Active;
        if (_lanes != FusedLanes.None)
        {
            int threads = Gemm.SingleThreaded ? 1 : Workbench.Numerics.Gemm.ThreadCount;
            ReadOnlySpan<T> zero = workspace.ZeroBias;
            GruFusedStep.Run(_lanes, n, H, MemoryMarshal.Cast<T, float>(step.Gates),
                MemoryMarshal.Cast<T, float>(step.BiasIh.IsEmpty ? zero : step.BiasIh), MemoryMarshal.Cast<T, float>(step.BiasHh.IsEmpty ? zero : step.BiasHh),
                MemoryMarshal.Cast<T, float>(step.PreviousState), MemoryMarshal.Cast<T, float>(step.Aux), MemoryMarshal.Cast<T, float>(step.State),
                MemoryMarshal.Cast<T, float>(workspace.PackedWeightHh.AsSpan()), ZWeighsPrevious, threads,
                (GruFusedStep?)step.StepJob);
            return;
        }
        Span<T> product = RecurrentProduct(workspace, n, GH, step.PreviousState, step.WeightHh, step.BiasHh);
        for (int r = 0; r < n; r++)
        {
            Span<T> row = step.Gates.Slice(r * GH, GH), hh = product.Slice(r * GH, GH);
            Span<T> rz = row.Slice(0, 2 * H), candidate = row.Slice(2 * H, H), hn = step.Aux.Slice(r * H, H);
            TensorPrimitives.Add(rz, hh.Slice(0, 2 * H), rz);
            TensorPrimitives.Sigmoid(rz, rz);
            // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
            GateKernels.ResetCandidate<T>(row.Slice(0, H), hh.Slice(2 * H, H), hn, candidate);
            TensorPrimitives.Tanh(candidate, candidate);
            Update(row.Slice(H, H), candidate, step.PreviousState.Slice(r * H, H), step.State.Slice(r * H, H));
        }
    }

    /// <inheritdoc/>
    public override void Backward(DirectionWorkspace<T> workspace, in BackwardStep<T> step)
    {
        int n = step.Active;
        for (int r = 0; r < n; r++)
        {
            // The gradients of the class summary and ∂h's direct path to h_{t−1}, in one fused pass per row.
            GateKernels.GruResetAfterBackward<T>(step.Gates.Slice(r * GH, GH), step.PreviousState.Slice(r * H, H), step.Aux.Slice(r * H, H),
                step.GradState.Slice(r * H, H), step.GradInputSide.Slice(r * GH, GH), step.GradRecurrentSide.Slice(r * GH, GH), ZWeighsPrevious);
        }
        // ∂h_{t−1} += ∂(recurrent side) W_hh (β = 1: the direct path is already in ∂h; see GruKernel).
        Gemm.Multiply(false, false, n, H, GH, T.One, step.GradRecurrentSide, GH, step.WeightHh, H, T.One, step.GradState, H);
    }
}

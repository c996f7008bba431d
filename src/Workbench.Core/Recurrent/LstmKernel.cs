using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

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
/// For float on AVX2 or AVX-512 the forward step is <see cref="LstmFusedStep"/> (product and gate math in one pass);
/// otherwise one GEMM, then the gate math row by row.
/// </summary>
internal sealed class LstmKernel<T>(RecurrentLayerOptions options, RecurrentGemm gemm) : RecurrentKernel<T>(options, gemm)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private FusedLanes _lanes = typeof(T) == typeof(float) ? FusedLanesSupport.Best : FusedLanes.None;

    /// <inheritdoc/>
    public override bool HasCellState => true;

    /// <inheritdoc/>
    public override bool AddsInputBias => _lanes != FusedLanes.None;

    /// <inheritdoc/>
    public override bool StepsRowsApart => _lanes != FusedLanes.None;

    /// <inheritdoc/>
    public override void PrepareRowParts(DirectionWorkspace<T> workspace, int parts) =>
        workspace.EnsureRowPartSteps<LstmFusedStep>(parts);

    /// <inheritdoc/>
    public override FusedLanes Lanes
    {
        get => _lanes;
        set
        {
            if (value != FusedLanes.None && typeof(T) != typeof(float))
                throw new ArgumentException($"The fused LSTM step runs on float only, not {typeof(T).Name}.", nameof(value));
            if (!FusedLanesSupport.IsSupported(value))
                throw new ArgumentException($"This machine cannot run the fused LSTM step at {value} (best: {FusedLanesSupport.Best}).", nameof(value));
            _lanes = value;
        }
    }

    /// <inheritdoc/>
    public override void BeginDirection(DirectionWorkspace<T> workspace, ReadOnlySpan<T> weightHh)
    {
        if (_lanes == FusedLanes.None) return;
        int length = LstmFusedStep.PackedLength(H, H, _lanes);
        if (workspace.PackedWeightHh.Length < length) workspace.PackedWeightHh = new T[length];
        if (workspace.ZeroBias.Length < GH) workspace.ZeroBias = new T[GH];
        LstmFusedStep.Pack(MemoryMarshal.Cast<T, float>(weightHh), H, H, _lanes, MemoryMarshal.Cast<T, float>(workspace.PackedWeightHh.AsSpan()));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Only products the GEMM would run unpacked (a single sequence: T·B rows × a narrow input), where its dot-product
    /// path with a horizontal sum per element is slow; the register tile streams them instead.
    /// </remarks>
    public override bool ProjectInput(DirectionWorkspace<T> workspace, ReadOnlySpan<T> x, int rows, int width, ReadOnlySpan<T> weightIh, Span<T> gates)
    {
        if (_lanes == FusedLanes.None || (long)rows * GH * width > Workbench.Numerics.ManagedGemm.SmallWork) return false;
        int length = LstmFusedStep.PackedLength(H, width, _lanes);
        if (workspace.PackedWeightIh.Length < length) workspace.PackedWeightIh = new T[length];
        Span<float> packed = MemoryMarshal.Cast<T, float>(workspace.PackedWeightIh.AsSpan());
        LstmFusedStep.Pack(MemoryMarshal.Cast<T, float>(weightIh), H, width, _lanes, packed);
        int threads = Gemm.SingleThreaded ? 1 : Workbench.Numerics.Gemm.ThreadCount;
        LstmFusedStep.Project(_lanes, rows, H, width, MemoryMarshal.Cast<T, float>(x), packed, MemoryMarshal.Cast<T, float>(gates), threads);
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
            LstmFusedStep.Run(_lanes, n, H, MemoryMarshal.Cast<T, float>(step.Gates),
                MemoryMarshal.Cast<T, float>(step.BiasIh.IsEmpty ? zero : step.BiasIh), MemoryMarshal.Cast<T, float>(step.BiasHh.IsEmpty ? zero : step.BiasHh),
                MemoryMarshal.Cast<T, float>(step.PreviousState), MemoryMarshal.Cast<T, float>(step.PreviousCell),
                MemoryMarshal.Cast<T, float>(step.Cell), MemoryMarshal.Cast<T, float>(step.TanhCell), MemoryMarshal.Cast<T, float>(step.State),
                MemoryMarshal.Cast<T, float>(workspace.PackedWeightHh.AsSpan()), threads,
                (LstmFusedStep?)step.StepJob);
            return;
        }
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

using System.Numerics;
using System.Numerics.Tensors;

namespace Workbench.Recurrent;

/// <summary>
/// One recurrence's step, forward and backward side by side, on a block of active rows of the sorted batch. The
/// layer (<see cref="RecurrentLayer{T}"/>) drives a kernel over time, directions and layers; the input-side products
/// of all steps, the weight and bias gradients of the input side and ∂L/∂input are the layer's, the same for every kernel.
/// </summary>
/// <remarks>
/// Contract of <see cref="Backward"/>: it fills the pre-activation gradients of the step and leaves
/// <see cref="BackwardStep{T}.GradState"/> holding ∂L/∂h_{t−1} for the active rows, including the share that flows
/// back through W_hh (the kernel's own product, because which gates it covers and whether it adds to a direct path
/// differs per recurrence).
/// </remarks>
internal abstract class RecurrentKernel<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>A kernel for <paramref name="options"/> whose products go through <paramref name="gemm"/>.</summary>
    protected RecurrentKernel(RecurrentLayerOptions options, RecurrentGemm gemm)
    {
        Options = options;
        Gemm = gemm;
        H = options.HiddenSize;
        GH = options.GateCount * H;
    }

    /// <summary>The layer's options.</summary>
    protected RecurrentLayerOptions Options { get; }

    /// <summary>The products of the pass.</summary>
    protected RecurrentGemm Gemm { get; }

    /// <summary>Hidden size H.</summary>
    protected int H { get; }

    /// <summary>Gate rows G·H.</summary>
    protected int GH { get; }

    /// <summary>True for the LSTM: a cell state c_t travels beside h_t.</summary>
    public virtual bool HasCellState => false;

    /// <summary>True for the GRU: one (B, H) term per step is kept for the backward pass (<see cref="ForwardStep{T}.Aux"/>).</summary>
    public virtual bool HasStepAux => false;

    /// <summary>
    /// True when <see cref="Forward"/> touches only the rows it is given and no shared scratch, so that disjoint row
    /// ranges may run their steps on different threads at once.
    /// </summary>
    public virtual bool StepsRowsApart => false;

    /// <summary>Makes what <paramref name="parts"/> row parts need on the caller's thread, before they start (<see cref="StepsRowsApart"/>).</summary>
    public virtual void PrepareRowParts(DirectionWorkspace<T> workspace, int parts)
    {
    }

    /// <summary>True when the forward step adds b_ih itself (<see cref="ForwardStep{T}.BiasIh"/>), so the layer leaves it out of the input projection.</summary>
    public virtual bool AddsInputBias => false;

    /// <summary>
    /// The SIMD width of a fused step, <see cref="FusedLanes.None"/> where the kernel has none; setting a width the
    /// machine lacks, or one on a kernel without a fused step, throws.
    /// </summary>
    public virtual FusedLanes Lanes
    {
        get => FusedLanes.None;
        set
        {
            if (value != FusedLanes.None) throw new ArgumentException($"{GetType().Name} has no fused step (lanes {value}).", nameof(value));
        }
    }

    /// <summary>
    /// The input side of every step, gates (rows, G·H) ← x (rows, width) W_ihᵀ, when the kernel computes it itself
    /// (true); false leaves it to the layer's GEMM.
    /// </summary>
    public virtual bool ProjectInput(DirectionWorkspace<T> workspace, ReadOnlySpan<T> x, int rows, int width, ReadOnlySpan<T> weightIh, Span<T> gates) => false;

    /// <summary>Called once per layer and direction before its steps, with that direction's W_hh (G·H, H): a kernel may repack it.</summary>
    public virtual void BeginDirection(DirectionWorkspace<T> workspace, ReadOnlySpan<T> weightHh)
    {
    }

    /// <summary>True when ∂L/∂(recurrent-side pre-activations) differ from the input side's and need their own buffer.</summary>
    public virtual bool SeparateRecurrentGradients => false;

    /// <summary>The step t: gates from x_t (already in <see cref="ForwardStep{T}.Gates"/>) and h_{t−1}, then h_t (and c_t).</summary>
    public abstract void Forward(DirectionWorkspace<T> workspace, in ForwardStep<T> step);

    /// <summary>The step's pre-activation gradients from ∂L/∂h_t (and ∂L/∂c_t), and ∂L/∂h_{t−1} (see the class remarks).</summary>
    public abstract void Backward(DirectionWorkspace<T> workspace, in BackwardStep<T> step);

    /// <summary>
    /// ∂L/∂W_hh += (recurrent-side pre-activation gradients of all steps)ᵀ × (the states they read): (G·H, T·B) × (T·B, H).
    /// </summary>
    /// <param name="gradRecurrentSide">(T·B, G·H) the recurrent-side pre-activation gradients.</param>
    /// <param name="previousStates">(T·B, H) h_{t−1} of every row and step.</param>
    /// <param name="aux">(T·B, H) the kept per-step terms (<see cref="HasStepAux"/>), else empty.</param>
    /// <param name="rows">T·B.</param>
    /// <param name="gradWeightHh">(G·H, H) ∂L/∂W_hh.</param>
    public virtual void WeightHhGradient(ReadOnlySpan<T> gradRecurrentSide, ReadOnlySpan<T> previousStates, ReadOnlySpan<T> aux, int rows, Span<T> gradWeightHh)
        => Gemm.Multiply(true, false, GH, H, rows, T.One, gradRecurrentSide, GH, previousStates, H, T.One, gradWeightHh, H);

    /// <summary>
    /// The recurrent side of the first <paramref name="width"/> gate rows of one step in one product:
    /// h_{t−1} (n, H) × W_hhᵀ → (n, width), plus b_hh, into the workspace.
    /// </summary>
    protected Span<T> RecurrentProduct(DirectionWorkspace<T> w, int n, int width, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> whh, ReadOnlySpan<T> bhh)
    {
        Span<T> product = w.Recurrent.AsSpan(0, n * GH);
        Gemm.Multiply(false, true, n, width, H, T.One, hPrev, H, whh, H, T.Zero, product, GH);
        if (!bhh.IsEmpty)
            for (int r = 0; r < n; r++) TensorPrimitives.Add(product.Slice(r * GH, width), bhh.Slice(0, width), product.Slice(r * GH, width));
        return product;
    }

    /// <summary>grad ⊙= s ⊙ (1 − s), the sigmoid's derivative from its output s.</summary>
    protected static void ScaleBySigmoidDerivative(ReadOnlySpan<T> s, Span<T> grad, Span<T> tmp)
    {
        TensorPrimitives.Subtract(T.One, s, tmp);
        TensorPrimitives.Multiply(tmp, s, tmp);
        TensorPrimitives.Multiply(grad, tmp, grad);
    }

    /// <summary>The kernel of <paramref name="options"/>' recurrence.</summary>
    public static RecurrentKernel<T> For(RecurrentLayerOptions options, RecurrentGemm gemm) => options.Kind switch
    {
        RecurrentKind.RnnTanh or RecurrentKind.RnnRelu => new RnnKernel<T>(options, gemm),
        RecurrentKind.Lstm => new LstmKernel<T>(options, gemm),
        _ => options.ResetPlacement == GruResetPlacement.ResetAfter
            ? new GruResetAfterKernel<T>(options, gemm)
            : new GruResetBeforeKernel<T>(options, gemm),
    };
}

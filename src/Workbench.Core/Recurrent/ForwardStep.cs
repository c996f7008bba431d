namespace Workbench.Recurrent;

/// <summary>
/// What one forward step of one direction reads and writes, on the sorted batch: rows 0..<see cref="Active"/> run,
/// the others are padding at this step (the layer carries their state through).
/// </summary>
internal ref struct ForwardStep<T>
{
    /// <summary>(n, G·H): in, the input side x_t W_ihᵀ (+ b_ih unless the kernel adds it); out, the activated gates (kept for the backward pass).</summary>
    public Span<T> Gates;

    /// <summary>n, the active rows.</summary>
    public int Active;

    /// <summary>The fused-step object of this step's row part (<see cref="DirectionWorkspace{T}.RowPartSteps"/>); null: the calling thread's own.</summary>
    public object? StepJob;

    /// <summary>(B, H) h_{t−1}.</summary>
    public ReadOnlySpan<T> PreviousState;

    /// <summary>(B, H) h_t, written for the active rows.</summary>
    public Span<T> State;

    /// <summary>LSTM: (B, H) c_{t−1}.</summary>
    public ReadOnlySpan<T> PreviousCell;

    /// <summary>LSTM: (B, H) c_t.</summary>
    public Span<T> Cell;

    /// <summary>LSTM: (B, H) tanh(c_t), kept for the backward pass.</summary>
    public Span<T> TanhCell;

    /// <summary>GRU: (B, H) the step's recurrent candidate term, kept for the backward pass.</summary>
    public Span<T> Aux;

    /// <summary>(G·H, H) W_hh.</summary>
    public ReadOnlySpan<T> WeightHh;

    /// <summary>(G·H) b_hh, or empty without biases.</summary>
    public ReadOnlySpan<T> BiasHh;

    /// <summary>(G·H) b_ih, or empty without biases; read only by kernels that add it themselves (<see cref="RecurrentKernel{T}.AddsInputBias"/>).</summary>
    public ReadOnlySpan<T> BiasIh;
}

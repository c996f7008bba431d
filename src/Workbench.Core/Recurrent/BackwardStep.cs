namespace Workbench.Recurrent;

/// <summary>What one backward step of one direction reads and writes, on the sorted batch (rows 0..<see cref="Active"/>).</summary>
internal ref struct BackwardStep<T>
{
    /// <summary>(n, G·H) the activated gates of the step.</summary>
    public ReadOnlySpan<T> Gates;

    /// <summary>(n, G·H) out: ∂L/∂(input-side pre-activations).</summary>
    public Span<T> GradInputSide;

    /// <summary>(n, G·H) out: ∂L/∂(recurrent-side pre-activations); the same span as <see cref="GradInputSide"/> unless the kernel separates them.</summary>
    public Span<T> GradRecurrentSide;

    /// <summary>n, the active rows.</summary>
    public int Active;

    /// <summary>(B, H) in: ∂L/∂h_t; out: ∂L/∂h_{t−1}.</summary>
    public Span<T> GradState;

    /// <summary>LSTM: (B, H) in: ∂L/∂c_t; out: ∂L/∂c_{t−1}.</summary>
    public Span<T> GradCell;

    /// <summary>(B, H) h_{t−1}.</summary>
    public ReadOnlySpan<T> PreviousState;

    /// <summary>LSTM: (B, H) c_{t−1}.</summary>
    public ReadOnlySpan<T> PreviousCell;

    /// <summary>LSTM: (B, H) tanh(c_t).</summary>
    public ReadOnlySpan<T> TanhCell;

    /// <summary>GRU: (B, H) the step's kept recurrent candidate term.</summary>
    public ReadOnlySpan<T> Aux;

    /// <summary>(G·H, H) W_hh.</summary>
    public ReadOnlySpan<T> WeightHh;
}

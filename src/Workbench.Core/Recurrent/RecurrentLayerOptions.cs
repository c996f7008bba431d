namespace Workbench.Recurrent;

/// <summary>
/// Everything that defines a <see cref="RecurrentLayer{T}"/>: the recurrence, the sizes and PyTorch's switches.
/// </summary>
/// <param name="Kind">RNN (tanh or ReLU), LSTM or GRU.</param>
/// <param name="InputSize">Features per time step of the input (PyTorch's input_size).</param>
/// <param name="HiddenSize">Features of the hidden state H (PyTorch's hidden_size).</param>
public sealed record RecurrentLayerOptions(RecurrentKind Kind, int InputSize, int HiddenSize)
{
    /// <summary>Stacked layers L; layer k &gt; 0 reads the D·H outputs of layer k − 1.</summary>
    public int NumLayers { get; init; } = 1;

    /// <summary>Adds a reverse direction per layer (D = 2); outputs concatenate forward then reverse.</summary>
    public bool Bidirectional { get; init; }

    /// <summary>Whether the layer has bias_ih and bias_hh parameters.</summary>
    public bool Bias { get; init; } = true;

    /// <summary>GRU only: where the reset gate acts (PyTorch's ResetAfter by default).</summary>
    public GruResetPlacement ResetPlacement { get; init; } = GruResetPlacement.ResetAfter;

    /// <summary>GRU only: which state the update gate weighs (PyTorch's ZWeighsPrevious by default).</summary>
    public GruUpdateConvention UpdateConvention { get; init; } = GruUpdateConvention.ZWeighsPrevious;

    /// <summary>
    /// LSTM only: PyTorch's proj_size P, 0 (the default) for none. With 0 &lt; P &lt; H each layer and direction gets
    /// <c>weight_hr_l{k}</c> (P, H), without bias, and the state it carries is projected:
    /// <code>h_t = W_hr (o_t ⊙ tanh(c_t))    (size P; c_t keeps size H)</code>
    /// so weight_hh is (4H, P), layer k &gt; 0 reads D·P features, output is (T, B, D·P), h0 and h_n are
    /// (L·D, B, P) while c0 and c_n stay (L·D, B, H).
    /// </summary>
    public int ProjectionSize { get; init; }

    /// <summary>Seed of the default initialisation U(−1/√H, 1/√H); the same seed gives the same weights.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// When true, Forward and Backward return arrays owned by the layer that the next call overwrites, so that a
    /// training loop allocates nothing per call; when false (the default) every call returns fresh arrays.
    /// </summary>
    public bool ReuseOutputs { get; init; }

    /// <summary>Width of h_t, PyTorch's H_out: <see cref="ProjectionSize"/> when projected, else <see cref="HiddenSize"/>.</summary>
    public int StateSize => ProjectionSize > 0 ? ProjectionSize : HiddenSize;

    /// <summary>
    /// PyTorch's dropout: in training (<see cref="RecurrentLayer{T}.Training"/>), each element of every layer's output
    /// except the last layer's is zeroed with probability p and the rest scaled by 1/(1 − p) before the layer above
    /// reads it; h_n, c_n, the input and the top layer's output are never dropped. 0 (the default) is no dropout; with
    /// one layer it has no effect (PyTorch warns then). Must satisfy 0 ≤ p &lt; 1.
    /// </summary>
    public double Dropout { get; init; }

    /// <summary>
    /// PyTorch's batch_first: input (B, T, I) and output (B, T, D·H) instead of (T, B, ·); h0, c0, h_n and c_n keep
    /// their (L·D, B, H) shape, as in PyTorch.
    /// </summary>
    public bool BatchFirst { get; init; }

    /// <summary>Number of directions D: 2 when bidirectional, else 1.</summary>
    public int NumDirections => Bidirectional ? 2 : 1;

    /// <summary>Gates packed per weight matrix G: 1 (RNN), 4 (LSTM, i f g o) or 3 (GRU, r z n).</summary>
    public int GateCount => Kind switch
    {
        RecurrentKind.Lstm => 4,
        RecurrentKind.Gru => 3,
        _ => 1,
    };

    /// <summary>Throws an <see cref="ArgumentException"/> when a size is not positive, the kind is unknown, the dropout is outside [0, 1), or the projection size is not 0 ≤ P &lt; H on an LSTM.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentException($"Unknown recurrent kind {(int)Kind}.", nameof(Kind));
        if (InputSize < 1) throw new ArgumentException($"InputSize must be at least 1, got {InputSize}.", nameof(InputSize));
        if (HiddenSize < 1) throw new ArgumentException($"HiddenSize must be at least 1, got {HiddenSize}.", nameof(HiddenSize));
        if (NumLayers < 1) throw new ArgumentException($"NumLayers must be at least 1, got {NumLayers}.", nameof(NumLayers));
        if (!Enum.IsDefined(ResetPlacement)) throw new ArgumentException($"Unknown reset placement {(int)ResetPlacement}.", nameof(ResetPlacement));
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"Dropout must be in [0, 1), got {Dropout}.", nameof(Dropout));
        if (!Enum.IsDefined(UpdateConvention)) throw new ArgumentException($"Unknown update convention {(int)UpdateConvention}.", nameof(UpdateConvention));
        if (ProjectionSize < 0) throw new ArgumentException($"ProjectionSize must be 0 (no projection) or positive, got {ProjectionSize}.", nameof(ProjectionSize));
        if (ProjectionSize > 0 && Kind != RecurrentKind.Lstm)
            throw new ArgumentException($"ProjectionSize applies to the LSTM only (as PyTorch's proj_size), but the layer is {Kind}.", nameof(ProjectionSize));
        if (ProjectionSize >= HiddenSize)
            throw new ArgumentException($"ProjectionSize must be smaller than HiddenSize ({HiddenSize}), got {ProjectionSize}.", nameof(ProjectionSize));
    }
}

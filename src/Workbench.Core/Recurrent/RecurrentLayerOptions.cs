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

    /// <summary>Seed of the default initialisation U(−1/√H, 1/√H); the same seed gives the same weights.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// When true, Forward and Backward return arrays owned by the layer that the next call overwrites, so that a
    /// training loop allocates nothing per call; when false (the default) every call returns fresh arrays.
    /// </summary>
    public bool ReuseOutputs { get; init; }

    /// <summary>Number of directions D: 2 when bidirectional, else 1.</summary>
    public int NumDirections => Bidirectional ? 2 : 1;

    /// <summary>Gates packed per weight matrix G: 1 (RNN), 4 (LSTM, i f g o) or 3 (GRU, r z n).</summary>
    public int GateCount => Kind switch
    {
        RecurrentKind.Lstm => 4,
        RecurrentKind.Gru => 3,
        _ => 1,
    };

    /// <summary>Throws an <see cref="ArgumentException"/> when a size is not positive or the kind is unknown.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentException($"Unknown recurrent kind {(int)Kind}.", nameof(Kind));
        if (InputSize < 1) throw new ArgumentException($"InputSize must be at least 1, got {InputSize}.", nameof(InputSize));
        if (HiddenSize < 1) throw new ArgumentException($"HiddenSize must be at least 1, got {HiddenSize}.", nameof(HiddenSize));
        if (NumLayers < 1) throw new ArgumentException($"NumLayers must be at least 1, got {NumLayers}.", nameof(NumLayers));
        if (!Enum.IsDefined(ResetPlacement)) throw new ArgumentException($"Unknown reset placement {(int)ResetPlacement}.", nameof(ResetPlacement));
        if (!Enum.IsDefined(UpdateConvention)) throw new ArgumentException($"Unknown update convention {(int)UpdateConvention}.", nameof(UpdateConvention));
    }
}

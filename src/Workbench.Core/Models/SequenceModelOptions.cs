using Workbench.Recurrent;

namespace Workbench.Models;

/// <summary>
/// The recurrent core shared by the sequence models (<see cref="Recurrent"/>: which cell, how wide, how deep, which
/// directions, every GRU form) and the token embedding size.
/// </summary>
/// <remarks>
/// The layer options are held, not copied: the model only fills in the input size, which it alone knows (the
/// embedding size, or the features per step). The properties named after the layer's (<see cref="NumLayers"/>,
/// <see cref="Seed"/>, ...) read and set that held <see cref="Recurrent"/>, so
/// <c>new SequenceModelOptions(kind, h) { Seed = 3 }</c> reads as before.
/// </remarks>
public sealed record SequenceModelOptions
{
    /// <summary>Options for a <paramref name="kind"/> core with hidden size <paramref name="hiddenSize"/> and the layer's defaults.</summary>
    public SequenceModelOptions(RecurrentKind kind, int hiddenSize) : this(new RecurrentLayerOptions(kind, UnsetInputSize, hiddenSize)) { }

    /// <summary>Options around given layer options (their input size is replaced by the model's).</summary>
    /// <exception cref="ArgumentException">The options ask for batch_first or dropout, which the models do not support.</exception>
    public SequenceModelOptions(RecurrentLayerOptions recurrent)
    {
        ArgumentNullException.ThrowIfNull(recurrent);
        RequireSupported(recurrent);
        Recurrent = recurrent;
    }

    // The layer's input size before a model sets it; RecurrentLayerOptions.Validate rejects it, so it cannot leak into a layer.
    private const int UnsetInputSize = 0;

    /// <summary>The recurrent layer's options; its <see cref="RecurrentLayerOptions.InputSize"/> is set by the model (<see cref="RecurrentOptions"/>).</summary>
    public RecurrentLayerOptions Recurrent { get; init; }

    /// <summary>RNN (tanh), LSTM or GRU.</summary>
    public RecurrentKind Kind => Recurrent.Kind;

    /// <summary>Hidden state size H.</summary>
    public int HiddenSize => Recurrent.HiddenSize;

    /// <summary>Size of the token embeddings (models that read token ids).</summary>
    public int EmbeddingDim { get; init; } = 32;

    /// <summary>Stacked recurrent layers.</summary>
    public int NumLayers { get => Recurrent.NumLayers; init => Recurrent = Recurrent with { NumLayers = value }; }

    /// <summary>Run a reverse direction too (not allowed for language models, which must not see the future).</summary>
    public bool Bidirectional { get => Recurrent.Bidirectional; init => Recurrent = Recurrent with { Bidirectional = value }; }

    /// <summary>Seed of every initial weight: the same seed gives the same model.</summary>
    public int Seed { get => Recurrent.Seed; init => Recurrent = Recurrent with { Seed = value }; }

    /// <summary>Whether the recurrent layer has biases (b_ih, b_hh).</summary>
    public bool Bias { get => Recurrent.Bias; init => Recurrent = Recurrent with { Bias = value }; }

    /// <summary>GRU only: the reset gate after the recurrent product (PyTorch) or before it (Cho et al. 2014).</summary>
    public GruResetPlacement ResetPlacement { get => Recurrent.ResetPlacement; init => Recurrent = Recurrent with { ResetPlacement = value }; }

    /// <summary>GRU only: which of h_{t−1} and the candidate the update gate z weighs.</summary>
    public GruUpdateConvention UpdateConvention { get => Recurrent.UpdateConvention; init => Recurrent = Recurrent with { UpdateConvention = value }; }

    /// <summary>The recurrent layer's options for an input of <paramref name="inputSize"/> features.</summary>
    /// <exception cref="ArgumentException">The options ask for batch_first or dropout, which the models do not support.</exception>
    public RecurrentLayerOptions RecurrentOptions(int inputSize)
    {
        RequireSupported(Recurrent); // also when Recurrent was set through its init accessor
        return Recurrent with { InputSize = inputSize };
    }

    private static void RequireSupported(RecurrentLayerOptions recurrent)
    {
        // The models feed their layer time-major, and have no train/eval switch that would turn dropout off when they
        // evaluate: refuse both rather than compute something else than asked.
        if (recurrent.BatchFirst)
            throw new ArgumentException("RecurrentLayerOptions.BatchFirst is not supported by the sequence models: they pass the layer (T, B, ·) batches themselves; leave it false.", nameof(recurrent));
        if (recurrent.Dropout != 0)
            throw new ArgumentException($"RecurrentLayerOptions.Dropout = {recurrent.Dropout.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not supported by the sequence models (they have no train/eval switch to turn it off when evaluating); use it on a RecurrentLayer directly.", nameof(recurrent));
    }

    /// <summary>Parses the command-line names rnn, lstm, gru (also rnn-relu).</summary>
    public static RecurrentKind ParseKind(string name) => name.ToLowerInvariant() switch
    {
        "rnn" or "rnn-tanh" => RecurrentKind.RnnTanh,
        "rnn-relu" => RecurrentKind.RnnRelu,
        "lstm" => RecurrentKind.Lstm,
        "gru" => RecurrentKind.Gru,
        _ => throw new FormatException($"Unknown model '{name}': use rnn, lstm or gru."),
    };
}

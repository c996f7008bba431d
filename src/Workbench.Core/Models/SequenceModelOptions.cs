using Workbench.Recurrent;

namespace Workbench.Models;

/// <summary>The recurrent core shared by the sequence models: which cell, how wide, how deep, which directions.</summary>
/// <param name="Kind">RNN (tanh), LSTM or GRU.</param>
/// <param name="HiddenSize">Hidden state size H.</param>
public sealed record SequenceModelOptions(RecurrentKind Kind, int HiddenSize)
{
    /// <summary>Stacked recurrent layers.</summary>
    public int NumLayers { get; init; } = 1;

    /// <summary>Run a reverse direction too (not allowed for language models, which must not see the future).</summary>
    public bool Bidirectional { get; init; }

    /// <summary>Size of the token embeddings (models that read token ids).</summary>
    public int EmbeddingDim { get; init; } = 32;

    /// <summary>Seed of every initial weight: the same seed gives the same model.</summary>
    public int Seed { get; init; }

    /// <summary>Whether the recurrent layer has biases (b_ih, b_hh).</summary>
    public bool Bias { get; init; } = true;

    /// <summary>GRU only: the reset gate after the recurrent product (PyTorch) or before it (Cho et al. 2014).</summary>
    public GruResetPlacement ResetPlacement { get; init; } = GruResetPlacement.ResetAfter;

    /// <summary>GRU only: which of h_{t−1} and the candidate the update gate z weighs.</summary>
    public GruUpdateConvention UpdateConvention { get; init; } = GruUpdateConvention.ZWeighsPrevious;

    /// <summary>The recurrent layer's options for an input of <paramref name="inputSize"/> features.</summary>
    public RecurrentLayerOptions RecurrentOptions(int inputSize) => new(Kind, inputSize, HiddenSize)
    {
        NumLayers = NumLayers,
        Bidirectional = Bidirectional,
        Seed = Seed,
        Bias = Bias,
        ResetPlacement = ResetPlacement,
        UpdateConvention = UpdateConvention,
    };

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

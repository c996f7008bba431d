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

    /// <summary>The recurrent layer's options for an input of <paramref name="inputSize"/> features.</summary>
    public RecurrentLayerOptions RecurrentOptions(int inputSize) => new(Kind, inputSize, HiddenSize)
    {
        NumLayers = NumLayers,
        Bidirectional = Bidirectional,
        Seed = Seed,
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

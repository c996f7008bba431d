using System.Numerics;
using Workbench.Layers;

namespace Workbench.Models;

/// <summary>
/// The models that read token ids: an embedding, the recurrent core, and a linear head, registered as
/// <c>embedding.weight</c>, <c>rnn.*</c>, <c>head.weight</c>, <c>head.bias</c>. Weights are drawn from
/// <see cref="SequenceModelOptions.Seed"/>: the recurrent core first, then the embedding, then the head.
/// </summary>
public abstract class TokenSequenceModel<T> : SequenceModel<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the embedding (<paramref name="vocabularySize"/> tokens) and a head with <paramref name="outputSize"/> outputs.</summary>
    protected TokenSequenceModel(int vocabularySize, int outputSize, SequenceModelOptions options) : base(options, options.EmbeddingDim)
    {
        var random = new Random(options.Seed);
        Embedding = new Embedding<T>(vocabularySize, options.EmbeddingDim, random);
        Head = new Linear<T>(Rnn.OutputSize, outputSize, random);
        Register("embedding", Embedding);
        Register("rnn", Rnn);
        Register("head", Head);
    }

    /// <summary>The token embedding.</summary>
    public Embedding<T> Embedding { get; }

    /// <summary>The output layer.</summary>
    public Linear<T> Head { get; }
}

using System.Numerics;
using Workbench.Data;
using Workbench.Losses;
using Workbench.Layers;
using Workbench.Tensors;

namespace Workbench.Models;

/// <summary>
/// A token classifier (tagger): Embedding → RecurrentLayer (optionally bidirectional and stacked) → Linear at every
/// step. Forward gives logits (T, B, classes). Parameters: <c>embedding.weight</c>, <c>rnn.*</c>, <c>head.weight</c>, <c>head.bias</c>.
/// </summary>
public sealed class SequenceTagger<T> : TokenSequenceModel<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private int[]? _lengths;

    /// <summary>Creates the model; every weight is drawn from <see cref="SequenceModelOptions.Seed"/>.</summary>
    public SequenceTagger(int vocabularySize, int classCount, SequenceModelOptions options)
        : base(vocabularySize, classCount, options) { }

    /// <summary>Number of classes.</summary>
    public int ClassCount => Head.OutFeatures;

    /// <summary>Logits (T, B, classes) for a padded batch (outputs at padded steps see a zero state).</summary>
    public NdArray<T> Forward(TokenBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _lengths = batch.Lengths;
        var embedded = Embedding.Forward(batch.Tokens, [batch.Steps, batch.BatchSize]);
        var output = Rnn.Forward(embedded, batch.Lengths).Output;
        return Head.Forward(output);
    }

    /// <summary>Back-propagates ∂L/∂logits (T, B, classes) into every parameter's gradient.</summary>
    public void Backward(NdArray<T> gradLogits)
    {
        if (_lengths is null) throw new InvalidOperationException("Backward was called before Forward.");
        var gradOutput = Head.Backward(gradLogits);
        var grads = Rnn.Backward(gradOutput);
        Embedding.Backward(grads.Input);
    }

    /// <summary>The most likely class at each step of one sequence.</summary>
    public int[] Predict(int[] tokens)
    {
        var logits = Forward(TokenBatch.Create([tokens], null, null));
        return Accuracy.ArgMaxRows<T>(logits.Data, tokens.Length, ClassCount);
    }
}

using System.Numerics;
using Workbench.Data;
using Workbench.Layers;
using Workbench.Tensors;

namespace Workbench.Models;

/// <summary>
/// A sequence classifier: Embedding → RecurrentLayer → Linear on each sequence's final state (for a bidirectional
/// layer, the forward state at the last step next to the reverse state at the first). Forward gives logits (B, classes).
/// </summary>
public sealed class SequenceClassifier<T> : TokenSequenceModel<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private int[]? _lengths;
    private int _steps;

    /// <summary>Creates the model; every weight is drawn from <see cref="SequenceModelOptions.Seed"/>.</summary>
    public SequenceClassifier(int vocabularySize, int classCount, SequenceModelOptions options)
        : base(vocabularySize, classCount, options) { }

    /// <summary>Logits (B, classes).</summary>
    public NdArray<T> Forward(TokenBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _lengths = batch.Lengths;
        _steps = batch.Steps;
        var embedded = Embedding.Forward(batch.Tokens, [batch.Steps, batch.BatchSize]);
        var output = Rnn.Forward(embedded, batch.Lengths).Output;
        return Head.Forward(LastStates(output, batch.Lengths, Rnn.Options.StateSize, Rnn.NumDirections));
    }

    /// <summary>Back-propagates ∂L/∂logits (B, classes).</summary>
    public void Backward(NdArray<T> gradLogits)
    {
        if (_lengths is null) throw new InvalidOperationException("Backward was called before Forward.");
        var gradLast = Head.Backward(gradLogits);
        var grads = Rnn.Backward(ScatterLastStates(gradLast, _steps, _lengths, Rnn.Options.StateSize, Rnn.NumDirections));
        Embedding.Backward(grads.Input);
    }
}

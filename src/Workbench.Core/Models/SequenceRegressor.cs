using System.Numerics;
using Workbench.Layers;
using Workbench.Tensors;

namespace Workbench.Models;

/// <summary>
/// A sequence regressor: input features (T, B, F) → RecurrentLayer → Linear, either on the final state
/// (output (B, outputs)) or at every step (output (T, B, outputs)). Parameters: <c>rnn.*</c>, <c>head.weight</c>, <c>head.bias</c>.
/// </summary>
public sealed class SequenceRegressor<T> : SequenceModel<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private int[]? _lengths;
    private int _steps;

    /// <summary>Creates the model; every weight is drawn from <see cref="SequenceModelOptions.Seed"/>.</summary>
    /// <param name="inputSize">Features per step F.</param>
    /// <param name="outputSize">Values predicted.</param>
    /// <param name="options">The recurrent core.</param>
    /// <param name="perStep">Predict at every step instead of from the final state.</param>
    public SequenceRegressor(int inputSize, int outputSize, SequenceModelOptions options, bool perStep = false) : base(options, inputSize)
    {
        PerStep = perStep;
        Head = new Linear<T>(Rnn.OutputSize, outputSize, new Random(options.Seed));
        Register("rnn", Rnn);
        Register("head", Head);
    }

    /// <summary>The output layer.</summary>
    public Linear<T> Head { get; }

    /// <summary>True when the head runs at every step.</summary>
    public bool PerStep { get; }

    /// <summary>Predictions: (B, outputs) from the final states, or (T, B, outputs) per step.</summary>
    public NdArray<T> Forward(NdArray<T> input, int[]? lengths = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        _steps = input.Shape[0];
        _lengths = lengths ?? FullLengths(input.Shape[0], input.Shape[1]);
        var output = Rnn.Forward(input, lengths).Output;
        return Head.Forward(PerStep ? output : LastStates(output, _lengths, Rnn.Options.StateSize, Rnn.NumDirections));
    }

    /// <summary>Back-propagates ∂L/∂predictions and returns ∂L/∂input (T, B, F).</summary>
    public NdArray<T> Backward(NdArray<T> gradPredictions)
    {
        if (_lengths is null) throw new InvalidOperationException("Backward was called before Forward.");
        var grad = Head.Backward(gradPredictions);
        if (!PerStep) grad = ScatterLastStates(grad, _steps, _lengths, Rnn.Options.StateSize, Rnn.NumDirections);
        return Rnn.Backward(grad).Input;
    }
}

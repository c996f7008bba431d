using System.Numerics;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Models;

/// <summary>
/// What the sequence models share: the recurrent core, the parameter list under qualified state_dict keys
/// (<c>embedding.weight</c>, <c>rnn.weight_ih_l0</c>, <c>head.weight</c>, ...), and gradient housekeeping.
/// </summary>
public abstract class SequenceModel<T> : IModule<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly List<KeyValuePair<string, Parameter<T>>> _named = [];

    /// <summary>Creates the recurrent core for inputs of <paramref name="inputSize"/> features.</summary>
    protected SequenceModel(SequenceModelOptions options, int inputSize)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Rnn = new RecurrentLayer<T>(options.RecurrentOptions(inputSize));
    }

    /// <summary>The options the model was built with.</summary>
    public SequenceModelOptions Options { get; }

    /// <summary>The recurrent core.</summary>
    public RecurrentLayer<T> Rnn { get; }

    /// <summary>The parameters with qualified keys, in registration order.</summary>
    public IReadOnlyList<KeyValuePair<string, Parameter<T>>> NamedParameters => _named;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => _named.Select(p => p.Value).ToArray();

    /// <summary>Total number of trainable values.</summary>
    public long ParameterCount => _named.Sum(p => (long)p.Value.Value.Length);

    /// <summary>Clears every gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _named) p.Value.ZeroGrad();
    }

    /// <summary>Registers a module's parameters under <paramref name="prefix"/>.</summary>
    protected void Register(string prefix, IModule<T> module)
    {
        foreach (var p in module.Parameters) _named.Add(new($"{prefix}.{p.Name}", p));
    }

    /// <summary>
    /// Gathers each sequence's final state from the top layer's output (T, B, D·H): the forward direction at its last
    /// step, the reverse direction at step 0 (where it ends). Result (B, D·H).
    /// </summary>
    protected static NdArray<T> LastStates(NdArray<T> output, int[] lengths, int hidden, int directions)
    {
        int steps = output.Shape[0], batch = output.Shape[1], width = output.Shape[2];
        var result = new T[batch * width];
        for (int b = 0; b < batch; b++)
        {
            int last = lengths[b] - 1;
            output.Data.AsSpan((last * batch + b) * width, hidden).CopyTo(result.AsSpan(b * width, hidden));
            if (directions == 2) output.Data.AsSpan(b * width + hidden, hidden).CopyTo(result.AsSpan(b * width + hidden, hidden));
        }
        _ = steps;
        return new NdArray<T>(result, batch, width);
    }

    /// <summary>The inverse of <see cref="LastStates"/>: scatters (B, D·H) gradients into a zero (T, B, D·H) gradient.</summary>
    protected static NdArray<T> ScatterLastStates(NdArray<T> grad, int steps, int[] lengths, int hidden, int directions)
    {
        int batch = grad.Shape[0], width = grad.Shape[1];
        var result = new T[steps * batch * width];
        for (int b = 0; b < batch; b++)
        {
            int last = lengths[b] - 1;
            grad.Data.AsSpan(b * width, hidden).CopyTo(result.AsSpan((last * batch + b) * width, hidden));
            if (directions == 2) grad.Data.AsSpan(b * width + hidden, hidden).CopyTo(result.AsSpan(b * width + hidden, hidden));
        }
        return new NdArray<T>(result, steps, batch, width);
    }

    /// <summary>Lengths that are all <paramref name="steps"/> for a batch of <paramref name="batch"/>.</summary>
    protected static int[] FullLengths(int steps, int batch)
    {
        var lengths = new int[batch];
        Array.Fill(lengths, steps);
        return lengths;
    }
}

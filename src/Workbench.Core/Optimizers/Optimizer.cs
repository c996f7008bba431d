using System.Globalization;
using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Optimizers;

/// <summary>
/// Base of the optimizers: holds the parameters, the learning rate (settable, so schedules can change it between
/// steps), the step count and the per-parameter state buffers, which can be exported and imported to resume exactly.
/// </summary>
/// <remarks>
/// Hyperparameters are doubles, as in PyTorch; per-step scalars (bias corrections, step sizes) are computed in double
/// and applied in <typeparamref name="T"/>, which is what torch does with Python floats on float tensors.
/// </remarks>
public abstract class Optimizer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Dictionary<string, NdArray<T>>[] _state;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> (order matters for the state names).</summary>
    protected Optimizer(IEnumerable<Parameter<T>> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0) throw new ArgumentException("An optimizer needs at least one parameter.", nameof(parameters));
        if (Parameters.Distinct().Count() != Parameters.Count) throw new ArgumentException("A parameter appears more than once.", nameof(parameters));
        LearningRate = learningRate;
        _state = new Dictionary<string, NdArray<T>>[Parameters.Count];
        for (int i = 0; i < _state.Length; i++) _state[i] = new Dictionary<string, NdArray<T>>(StringComparer.Ordinal);
    }

    /// <summary>The parameters updated, in order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The learning rate used by the next <see cref="Step"/>.</summary>
    public double LearningRate
    {
        get;
        set
        {
            if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and non-negative.");
            field = value;
        }
    }

    /// <summary>Number of steps taken (PyTorch's per-parameter <c>step</c>, shared since all parameters step together).</summary>
    public long StepCount { get; private set; }

    /// <summary>A short name stored with exported state (e.g. "Adam").</summary>
    public abstract string Kind { get; }

    /// <summary>The buffer names this optimizer may keep per parameter.</summary>
    protected abstract IReadOnlyCollection<string> BufferNames { get; }

    /// <summary>Applies one update to every parameter from its accumulated gradient.</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++) Update(i, Parameters[i], StepCount);
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        // An index loop: foreach over the IReadOnlyList would box an enumerator on every call.
        for (int i = 0; i < Parameters.Count; i++) Parameters[i].ZeroGrad();
    }

    /// <summary>Updates parameter <paramref name="index"/> for step number <paramref name="step"/> (1-based).</summary>
    protected abstract void Update(int index, Parameter<T> parameter, long step);

    /// <summary>True when buffer <paramref name="name"/> of parameter <paramref name="index"/> exists.</summary>
    protected bool HasBuffer(int index, string name) => _state[index].ContainsKey(name);

    /// <summary>Buffer <paramref name="name"/> of parameter <paramref name="index"/>, created filled with <paramref name="initial"/> on first use.</summary>
    protected Span<T> Buffer(int index, string name, T initial = default)
    {
        if (!_state[index].TryGetValue(name, out NdArray<T>? buffer))
        {
            buffer = NdArray<T>.Zeros(Parameters[index].Value.Shape);
            if (initial != T.Zero) Array.Fill(buffer.Data, initial);
            _state[index][name] = buffer;
        }
        return buffer.Data;
    }

    /// <summary>A copy of the step count and every buffer, for checkpoints.</summary>
    public OptimizerState<T> ExportState()
    {
        var tensors = new SortedDictionary<string, NdArray<T>>(StringComparer.Ordinal);
        for (int i = 0; i < _state.Length; i++)
            foreach (var (name, buffer) in _state[i])
                tensors[$"{i.ToString(CultureInfo.InvariantCulture)}.{name}"] = buffer.Clone();
        return new OptimizerState<T>(Kind, StepCount, tensors);
    }

    /// <summary>Replaces the step count and buffers with <paramref name="state"/> (copied).</summary>
    /// <exception cref="ArgumentException">Another optimizer kind, an unknown buffer or parameter index, or a shape that differs from the parameter's (named).</exception>
    public void ImportState(OptimizerState<T> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Kind != Kind) throw new ArgumentException($"The optimizer state is for {state.Kind}, not {Kind}.");
        if (state.StepCount < 0) throw new ArgumentException($"The optimizer state has a negative step count {state.StepCount}.");
        var incoming = new Dictionary<string, NdArray<T>>[_state.Length];
        for (int i = 0; i < incoming.Length; i++) incoming[i] = new Dictionary<string, NdArray<T>>(StringComparer.Ordinal);
        foreach (var (key, tensor) in state.Tensors)
        {
            int dot = key.IndexOf('.');
            if (dot <= 0 || !int.TryParse(key.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= _state.Length)
                throw new ArgumentException($"Optimizer state tensor '{key}' does not name a parameter index in [0, {_state.Length}).");
            string buffer = key[(dot + 1)..];
            if (!BufferNames.Contains(buffer))
                throw new ArgumentException($"Optimizer state tensor '{key}': {Kind} keeps no buffer named '{buffer}' (it keeps {string.Join(", ", BufferNames)}).");
            tensor.RequireShape($"{key}", Parameters[index].Value.Shape);
            incoming[index][buffer] = tensor.Clone();
        }
        for (int i = 0; i < _state.Length; i++) _state[i] = incoming[i];
        StepCount = state.StepCount;
    }

    /// <summary>Casts a double hyperparameter to <typeparamref name="T"/>.</summary>
    protected static T Scalar(double value) => T.CreateChecked(value);
}

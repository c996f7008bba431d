using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

/// <summary>
/// A multi-layer, optionally bidirectional RNN, LSTM or GRU over a (T, B, I) sequence batch, with PyTorch's
/// parameters, shapes and packed-sequence semantics, and an exact backward pass through time.
/// </summary>
/// <remarks>
/// <para>Parameters are PyTorch's state_dict, in its order: for each layer k and direction,
/// <c>weight_ih_l{k}</c> (G·H, in), <c>weight_hh_l{k}</c> (G·H, H), <c>bias_ih_l{k}</c> (G·H),
/// <c>bias_hh_l{k}</c> (G·H), with the suffix <c>_reverse</c> for the reverse direction; "in" is I for layer 0
/// and D·H above. Gates are packed i, f, g, o (LSTM) and r, z, n (GRU). A projected LSTM
/// (<see cref="RecurrentLayerOptions.ProjectionSize"/> P &gt; 0) adds <c>weight_hr_l{k}</c> (P, H) after the biases,
/// its weight_hh is (4H, P) and "in" is D·P above layer 0; it runs its own, simpler step (see RecurrentLayer.Projection.cs).</para>
/// <para>The fast path: the input projection of all steps is one GEMM, each step's gates are one GEMM, and the
/// elementwise work runs on spans with TensorPrimitives (the float LSTM on AVX2/AVX-512: one fused pass per step,
/// <see cref="LstmFusedStep"/>) into buffers that are kept and reused while the shapes
/// repeat. <see cref="Forward"/> caches what <see cref="Backward"/> needs.</para>
/// <para>Variable lengths behave as PyTorch's packed sequences: steps at or past a sequence's length output zero,
/// its final state is the state at its own last step, and the reverse direction starts at its own end.</para>
/// <para>The two directions of a bidirectional layer run side by side, one per core, when
/// <see cref="Workbench.Numerics.Gemm.ThreadCount"/> ≥ 2 and the managed GEMM is in use; each direction's work is
/// fixed, so the results are the same bits as running them one after the other.</para>
/// <para>A layer holds one forward cache and its workspace: it is not safe to call from several threads at once.</para>
/// <para>How the code splits: this type is the loop over layers, directions and time (Forward, Backward,
/// Parallel); one kernel per recurrence holds the step's forward and backward side by side (RnnKernel, LstmKernel,
/// GruResetAfterKernel, GruResetBeforeKernel); PackedBatch does the length sort; RecurrentBuffers holds every buffer.</para>
/// </remarks>
public partial class RecurrentLayer<T> : IModule<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _weightIh;
    private readonly Parameter<T>[] _weightHh;
    private readonly Parameter<T>?[] _biasIh;
    private readonly Parameter<T>?[] _biasHh;
    private readonly Parameter<T>?[] _weightHr;        // the LSTM's projection, null without one
    private readonly LstmProjectionBuffers<T>? _projection;
    private readonly Parameter<T>[] _parameters;
    private readonly RecurrentGemm _gemm = new();
    private readonly RecurrentKernel<T> _kernel;       // the recurrence's step, forward and backward
    private readonly RecurrentBuffers<T> _buffers;     // what Forward keeps for Backward, and the temporaries
    private readonly PackedBatch _packed = new();      // the length order of the last Forward's batch
    private bool _cached;
    private RecurrentOutput<T>? _reusedOutput;
    private RecurrentGradients<T>? _reusedGradients;

    /// <summary>Creates the layer and initialises every parameter from U(−1/√H, 1/√H) with <see cref="RecurrentLayerOptions.Seed"/>.</summary>
    public RecurrentLayer(RecurrentLayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        int layers = options.NumLayers, directions = options.NumDirections, hidden = options.HiddenSize, state = options.StateSize;
        int gateRows = options.GateCount * hidden;
        int count = layers * directions;
        _weightIh = new Parameter<T>[count];
        _weightHh = new Parameter<T>[count];
        _biasIh = new Parameter<T>?[count];
        _biasHh = new Parameter<T>?[count];
        _weightHr = new Parameter<T>?[count];
        var all = new List<Parameter<T>>();
        for (int layer = 0; layer < layers; layer++)
        {
            int inputWidth = layer == 0 ? options.InputSize : directions * state;
            for (int direction = 0; direction < directions; direction++)
            {
                int k = layer * directions + direction;
                string suffix = $"_l{layer}" + (direction == 1 ? "_reverse" : "");
                all.Add(_weightIh[k] = new Parameter<T>("weight_ih" + suffix, NdArray<T>.Zeros(gateRows, inputWidth)));
                all.Add(_weightHh[k] = new Parameter<T>("weight_hh" + suffix, NdArray<T>.Zeros(gateRows, state)));
                if (options.Bias)
                {
                    all.Add(_biasIh[k] = new Parameter<T>("bias_ih" + suffix, NdArray<T>.Zeros(gateRows)));
                    all.Add(_biasHh[k] = new Parameter<T>("bias_hh" + suffix, NdArray<T>.Zeros(gateRows)));
                }
                if (options.ProjectionSize > 0)
                    all.Add(_weightHr[k] = new Parameter<T>("weight_hr" + suffix, NdArray<T>.Zeros(options.ProjectionSize, hidden)));
            }
        }
        _parameters = all.ToArray();
        ResetParameters(options.Seed);
        SeedDropout(options.Seed);
        _kernel = RecurrentKernel<T>.For(options, _gemm);
        _buffers = new RecurrentBuffers<T>(options, _kernel);
        if (options.ProjectionSize > 0) _projection = new LstmProjectionBuffers<T>(count);
    }

    /// <summary>
    /// The SIMD width of the fused forward step (float LSTM): the widest the machine runs by default; tests set
    /// each width in turn, and <see cref="Recurrent.FusedLanes.None"/> for the unfused step.
    /// </summary>
    internal FusedLanes FusedLanes
    {
        get => _kernel.Lanes;
        set => _kernel.Lanes = value;
    }

    /// <summary>The options the layer was built with.</summary>
    public RecurrentLayerOptions Options { get; }

    /// <summary>The parameters in PyTorch state_dict order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>Features per input step I.</summary>
    public int InputSize => Options.InputSize;

    /// <summary>Features of the hidden state H.</summary>
    public int HiddenSize => Options.HiddenSize;

    /// <summary>Stacked layers L.</summary>
    public int NumLayers => Options.NumLayers;

    /// <summary>Directions D (1 or 2).</summary>
    public int NumDirections => Options.NumDirections;

    /// <summary>Features per output step, D·H (D·P for a projected LSTM).</summary>
    public int OutputSize => Options.NumDirections * Options.StateSize;

    /// <summary>weight_ih_l{layer}[_reverse]: (G·H, in).</summary>
    public Parameter<T> WeightIh(int layer, bool reverse = false) => _weightIh[Index(layer, reverse)];

    /// <summary>weight_hh_l{layer}[_reverse]: (G·H, H), or (4H, P) for a projected LSTM.</summary>
    public Parameter<T> WeightHh(int layer, bool reverse = false) => _weightHh[Index(layer, reverse)];

    /// <summary>bias_ih_l{layer}[_reverse]: (G·H); null when the layer has no bias.</summary>
    public Parameter<T>? BiasIh(int layer, bool reverse = false) => _biasIh[Index(layer, reverse)];

    /// <summary>bias_hh_l{layer}[_reverse]: (G·H); null when the layer has no bias.</summary>
    public Parameter<T>? BiasHh(int layer, bool reverse = false) => _biasHh[Index(layer, reverse)];

    /// <summary>weight_hr_l{layer}[_reverse]: (P, H), the LSTM's projection h_t = W_hr (o_t ⊙ tanh c_t); null without one.</summary>
    public Parameter<T>? WeightHr(int layer, bool reverse = false) => _weightHr[Index(layer, reverse)];

    /// <summary>The parameter with the given state_dict key, e.g. <c>weight_hh_l1_reverse</c>.</summary>
    public Parameter<T> GetParameter(string name)
    {
        foreach (var p in _parameters) if (p.Name == name) return p;
        throw new KeyNotFoundException($"No parameter '{name}'; the layer has {string.Join(", ", _parameters.Select(p => p.Name))}.");
    }

    /// <summary>Clears the accumulated gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.ZeroGrad();
    }

    /// <summary>
    /// Re-draws every parameter from U(−1/√H, 1/√H) (PyTorch's default), deterministically from <paramref name="seed"/>:
    /// values are drawn in state_dict order, row-major, as doubles, so float and double layers get the same numbers.
    /// </summary>
    public void ResetParameters(int seed)
    {
        var random = new Random(seed);
        double bound = 1.0 / Math.Sqrt(Options.HiddenSize);
        foreach (var p in _parameters)
        {
            var data = p.Value.Data;
            for (int i = 0; i < data.Length; i++) data[i] = T.CreateChecked((random.NextDouble() * 2.0 - 1.0) * bound);
        }
    }

    /// <summary>
    /// The activated gates of one layer and direction from the last <see cref="Forward"/>, for gate heatmaps:
    /// (T, B, G·H) packed as PyTorch (LSTM i, f, g, o; GRU r, z, n; RNN h), zero at padded steps, time-major even
    /// for a batch-first layer. A fresh copy.
    /// </summary>
    /// <exception cref="InvalidOperationException">No Forward has run.</exception>
    public NdArray<T> GateActivations(int layer = 0, bool reverse = false)
    {
        int k = Index(layer, reverse);
        if (!_cached) throw new InvalidOperationException("Gate activations come from a Forward call; call Forward first.");
        int GH = Options.GateCount * Options.HiddenSize, steps = _packed.Steps, batch = _packed.Batch;
        ReadOnlySpan<int> order = _packed.Order;
        var result = NdArray<T>.Zeros(steps, batch, GH);
        for (int t = 0; t < steps; t++)
            for (int s = 0; s < _packed.Active(t); s++)
                _buffers.Gates[k].AsSpan((t * batch + s) * GH, GH).CopyTo(result.Data.AsSpan((t * batch + order[s]) * GH, GH));
        return result;
    }

    private int Index(int layer, bool reverse)
    {
        if ((uint)layer >= (uint)Options.NumLayers)
            throw new ArgumentOutOfRangeException(nameof(layer), $"Layer {layer} does not exist; the layer has {Options.NumLayers}.");
        if (reverse && !Options.Bidirectional)
            throw new ArgumentException("The reverse direction exists only in a bidirectional layer.", nameof(reverse));
        return layer * Options.NumDirections + (reverse ? 1 : 0);
    }

    // NdArray.RequireShape takes a params array; this three-axis check allocates only when it throws.
    private static void RequireShape(NdArray<T> tensor, string name, int d0, int d1, int d2)
    {
        var shape = tensor.Shape;
        if (shape.Length != 3 || shape[0] != d0 || shape[1] != d1 || shape[2] != d2) tensor.RequireShape(name, d0, d1, d2);
    }

    private static void RequireFinite(NdArray<T> tensor, string name)
    {
        int first = tensor.IndexOfNonFinite();
        if (first < 0) return;
        throw new ArgumentException(
            $"Tensor '{name}' of shape {NdArray<T>.FormatShape(tensor.Shape)} holds {tensor.Data[first]} at index {NdArray<T>.FormatShape(tensor.Unravel(first))}; every element must be finite.",
            name);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var o = Options;
        string kind = o.Kind switch
        {
            RecurrentKind.RnnTanh => "RNN(tanh)",
            RecurrentKind.RnnRelu => "RNN(relu)",
            RecurrentKind.Lstm => "LSTM",
            _ => $"GRU({o.ResetPlacement}, {o.UpdateConvention})",
        };
        string extra = (o.ProjectionSize > 0 ? $", proj_size={o.ProjectionSize}" : "")
            + (o.Dropout > 0 ? $", dropout={o.Dropout.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "") + (o.BatchFirst ? ", batch_first=True" : "");
        return $"{kind}({o.InputSize}, {o.HiddenSize}, num_layers={o.NumLayers}, bias={o.Bias}, bidirectional={o.Bidirectional}{extra})";
    }
}

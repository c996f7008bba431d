using System.Numerics;
using Workbench.Numerics;
using Workbench.Tensors;

namespace Workbench.Recurrent;

/// <summary>
/// What the trainable single-step modules share (<see cref="RnnCellLayer{T}"/>, <see cref="GruCellLayer{T}"/>,
/// <see cref="LstmCellLayer{T}"/>, PyTorch's <c>nn.RNNCell</c>, <c>nn.GRUCell</c>, <c>nn.LSTMCell</c>): the
/// parameters under PyTorch's cell names, their initialisation, and the tape of steps that Backward replays.
/// </summary>
/// <remarks>
/// <para>Parameters, in state_dict order: <c>weight_ih</c> (G·H, I), <c>weight_hh</c> (G·H, H), <c>bias_ih</c>
/// (G·H), <c>bias_hh</c> (G·H) (no <c>_l0</c> suffix: a cell has one layer); the biases are absent when bias is
/// false. Every parameter starts from U(−1/√H, 1/√H), drawn from the seed, as PyTorch's default.</para>
/// <para>Backward through time is the caller's loop, as with autograd: each training <c>Forward</c> keeps its step
/// on a tape, and each <c>Backward</c> takes the most recent step not yet taken, so a loop of T Forward calls is
/// differentiated by T Backward calls in reverse order, the state gradient of one call feeding the next.
/// With <see cref="Training"/> false, Forward keeps nothing (inference).</para>
/// <para>Named "…CellLayer" because <see cref="RnnCell{T}"/>, <see cref="GruCell{T}"/> and <see cref="LstmCell{T}"/>
/// already name the equation-level teaching cells (one vector, one method per gate, no training); these are the
/// batched, trainable modules.</para>
/// </remarks>
public abstract class RecurrentCellLayer<T> : IModule<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;

    /// <summary>Creates the parameters of a <paramref name="kind"/> cell and initialises them from <paramref name="seed"/>.</summary>
    private protected RecurrentCellLayer(RecurrentKind kind, int inputSize, int hiddenSize, bool bias, int seed)
    {
        if (inputSize < 1) throw new ArgumentException($"InputSize must be at least 1, got {inputSize}.", nameof(inputSize));
        if (hiddenSize < 1) throw new ArgumentException($"HiddenSize must be at least 1, got {hiddenSize}.", nameof(hiddenSize));
        Kind = kind;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Bias = bias;
        int rows = GateCount * hiddenSize;
        WeightIh = new Parameter<T>("weight_ih", NdArray<T>.Zeros(rows, inputSize));
        WeightHh = new Parameter<T>("weight_hh", NdArray<T>.Zeros(rows, hiddenSize));
        if (bias)
        {
            BiasIh = new Parameter<T>("bias_ih", NdArray<T>.Zeros(rows));
            BiasHh = new Parameter<T>("bias_hh", NdArray<T>.Zeros(rows));
            _parameters = [WeightIh, WeightHh, BiasIh, BiasHh];
        }
        else
        {
            _parameters = [WeightIh, WeightHh];
        }
        ResetParameters(seed);
    }

    /// <summary>The recurrence: RNN (tanh or ReLU), GRU (PyTorch's form) or LSTM.</summary>
    public RecurrentKind Kind { get; }

    /// <summary>Features of the input I.</summary>
    public int InputSize { get; }

    /// <summary>Features of the hidden state H.</summary>
    public int HiddenSize { get; }

    /// <summary>Whether the cell has bias_ih and bias_hh.</summary>
    public bool Bias { get; }

    /// <summary>Gates packed per weight matrix G: 1 (RNN), 3 (GRU, r z n), 4 (LSTM, i f g o).</summary>
    public int GateCount => Kind switch
    {
        RecurrentKind.Lstm => 4,
        RecurrentKind.Gru => 3,
        _ => 1,
    };

    /// <summary>weight_ih: (G·H, I).</summary>
    public Parameter<T> WeightIh { get; }

    /// <summary>weight_hh: (G·H, H).</summary>
    public Parameter<T> WeightHh { get; }

    /// <summary>bias_ih: (G·H); null without bias.</summary>
    public Parameter<T>? BiasIh { get; }

    /// <summary>bias_hh: (G·H); null without bias.</summary>
    public Parameter<T>? BiasHh { get; }

    /// <summary>The parameters in PyTorch state_dict order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>When true (the default), Forward keeps its step for Backward; when false it keeps nothing.</summary>
    public bool Training { get; set; } = true;

    /// <summary>Steps kept by Forward that Backward has not taken yet.</summary>
    public abstract int PendingSteps { get; }

    /// <summary>Drops every kept step (e.g. after a truncated backward pass).</summary>
    public abstract void ClearSteps();

    /// <summary>The parameter with the given state_dict key, e.g. <c>weight_hh</c>.</summary>
    public Parameter<T> GetParameter(string name)
    {
        foreach (var p in _parameters) if (p.Name == name) return p;
        throw new KeyNotFoundException($"No parameter '{name}'; the cell has {string.Join(", ", _parameters.Select(p => p.Name))}.");
    }

    /// <summary>Clears the accumulated gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.ZeroGrad();
    }

    /// <summary>
    /// Re-draws every parameter from U(−1/√H, 1/√H), deterministically from <paramref name="seed"/>: in state_dict
    /// order, row-major, as doubles (the recurrent layer's rule, so float and double cells get the same numbers).
    /// </summary>
    public void ResetParameters(int seed)
    {
        var random = new Random(seed);
        double bound = 1.0 / Math.Sqrt(HiddenSize);
        foreach (var p in _parameters)
        {
            var data = p.Value.Data;
            for (int i = 0; i < data.Length; i++) data[i] = T.CreateChecked((random.NextDouble() * 2.0 - 1.0) * bound);
        }
    }

    /// <summary>The input's batch size after checking it is (B, I) and finite.</summary>
    private protected int CheckInput(NdArray<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Shape[1] != InputSize || input.Shape[0] < 1)
            throw new ArgumentException($"Tensor 'input' has shape {NdArray<T>.FormatShape(input.Shape)}, expected (B, {InputSize}) with B ≥ 1.", nameof(input));
        RequireFinite(input, "input");
        return input.Shape[0];
    }

    /// <summary>A (B, H) state: a copy of <paramref name="state"/> after checking it, or zeros when null.</summary>
    private protected NdArray<T> StateOrZeros(NdArray<T>? state, int batch, string name)
    {
        if (state is null) return NdArray<T>.Zeros(batch, HiddenSize);
        state.RequireShape(name, batch, HiddenSize);
        RequireFinite(state, name);
        return state.Clone();
    }

    /// <summary>Checks a (B, H) gradient; null stays null.</summary>
    private protected void CheckGradient(NdArray<T>? gradient, int batch, string name)
    {
        if (gradient is null) return;
        gradient.RequireShape(name, batch, HiddenSize);
        RequireFinite(gradient, name);
    }

    /// <summary>(B, G·H) ← x W_ihᵀ + b_ih, or h W_hhᵀ + b_hh with <paramref name="recurrent"/>.</summary>
    private protected T[] Affine(ReadOnlySpan<T> rows, int batch, bool recurrent)
    {
        int width = recurrent ? HiddenSize : InputSize, GH = GateCount * HiddenSize;
        var result = new T[batch * GH];
        Gemm.Multiply(false, true, batch, GH, width, T.One, rows, width, (recurrent ? WeightHh : WeightIh).Value.Data, width, T.Zero, result, GH);
        if ((recurrent ? BiasHh : BiasIh) is { } bias)
            for (int r = 0; r < batch; r++)
                for (int j = 0; j < GH; j++) result[r * GH + j] += bias.Value.Data[j];
        return result;
    }

    /// <summary>
    /// The parameter and input gradients of one step from its pre-activation gradients: ∂W_ih += dGiᵀ x,
    /// ∂W_hh += dGhᵀ h, ∂b_ih += Σ dGi, ∂b_hh += Σ dGh; returns ∂L/∂x = dGi W_ih and adds dGh W_hh to <paramref name="gradState"/>.
    /// </summary>
    private protected NdArray<T> Accumulate(int batch, ReadOnlySpan<T> input, ReadOnlySpan<T> state, ReadOnlySpan<T> gradIh, ReadOnlySpan<T> gradHh, Span<T> gradState)
    {
        int I = InputSize, H = HiddenSize, GH = GateCount * H;
        Gemm.Multiply(true, false, GH, I, batch, T.One, gradIh, GH, input, I, T.One, WeightIh.Grad.Data, I);
        Gemm.Multiply(true, false, GH, H, batch, T.One, gradHh, GH, state, H, T.One, WeightHh.Grad.Data, H);
        if (BiasIh is { } bih && BiasHh is { } bhh)
            for (int r = 0; r < batch; r++)
                for (int j = 0; j < GH; j++)
                {
                    bih.Grad.Data[j] += gradIh[r * GH + j];
                    bhh.Grad.Data[j] += gradHh[r * GH + j];
                }
        var gradInput = NdArray<T>.Zeros(batch, I);
        Gemm.Multiply(false, false, batch, I, GH, T.One, gradIh, GH, WeightIh.Value.Data, I, T.Zero, gradInput.Data, I);
        Gemm.Multiply(false, false, batch, H, GH, T.One, gradHh, GH, WeightHh.Value.Data, H, T.One, gradState, H);
        return gradInput;
    }

    /// <summary>The error for a Backward without a step left on the tape.</summary>
    private protected InvalidOperationException NoStep() => new(
        $"{GetType().Name[..^2]}.Backward has no step to take: each Backward takes one step kept by a training Forward, most recent first ({(Training ? "all have been taken" : "Training is false, so Forward keeps none")}).");

    /// <summary>σ(a).</summary>
    private protected static T Sigmoid(T a) => T.One / (T.One + T.Exp(-a));

    private static void RequireFinite(NdArray<T> tensor, string name)
    {
        int first = tensor.IndexOfNonFinite();
        if (first >= 0)
            throw new ArgumentException($"Tensor '{name}' of shape {NdArray<T>.FormatShape(tensor.Shape)} holds {tensor.Data[first]} at index {first}; every element must be finite.", name);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        string kind = Kind switch
        {
            RecurrentKind.RnnTanh => "RNNCell",
            RecurrentKind.RnnRelu => "RNNCell",
            RecurrentKind.Gru => "GRUCell",
            _ => "LSTMCell",
        };
        string nonlinearity = Kind == RecurrentKind.RnnRelu ? ", nonlinearity=relu" : "";
        return $"{kind}({InputSize}, {HiddenSize}, bias={Bias}{nonlinearity})";
    }
}

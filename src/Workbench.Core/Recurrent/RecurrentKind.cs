namespace Workbench.Recurrent;

/// <summary>The recurrence a <see cref="RecurrentLayer{T}"/> runs; decides the gate count G (1, 4 or 3).</summary>
public enum RecurrentKind
{
    /// <summary>Vanilla RNN, h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh); G = 1.</summary>
    RnnTanh,

    /// <summary>Vanilla RNN with ReLU instead of tanh; G = 1.</summary>
    RnnRelu,

    /// <summary>LSTM with gates packed i, f, g, o as PyTorch; G = 4.</summary>
    Lstm,

    /// <summary>GRU with gates packed r, z, n as PyTorch; G = 3.</summary>
    Gru,
}

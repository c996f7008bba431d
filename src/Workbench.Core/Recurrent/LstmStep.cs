using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Recurrent;

/// <summary>One step of an <see cref="LstmCell{T}"/> with every intermediate (for gate heatmaps).</summary>
/// <param name="InputGate">i_t = σ(W_ii x + b_ii + W_hi h + b_hi).</param>
/// <param name="ForgetGate">f_t = σ(W_if x + b_if + W_hf h + b_hf).</param>
/// <param name="CandidateState">C̃_t (PyTorch's g_t) = tanh(W_ig x + b_ig + W_hg h + b_hg).</param>
/// <param name="OutputGate">o_t = σ(W_io x + b_io + W_ho h + b_ho).</param>
/// <param name="CellState">C_t = f_t ⊙ C_{t−1} + i_t ⊙ C̃_t.</param>
/// <param name="HiddenState">h_t = o_t ⊙ tanh(C_t).</param>
public sealed record LstmStep<T>(Vector<T> InputGate, Vector<T> ForgetGate, Vector<T> CandidateState, Vector<T> OutputGate,
    Vector<T> CellState, Vector<T> HiddenState) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>;

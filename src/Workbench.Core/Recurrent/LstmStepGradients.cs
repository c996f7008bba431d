using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Recurrent;

/// <summary>
/// What <see cref="LstmCell{T}.Backward"/> returns for one step: the gradients the step passes back in time and to
/// its input, the gradients of its parameters in PyTorch's packed layout (gates i, f, g, o), and, for reading, the
/// gradients of its intermediates.
/// </summary>
/// <param name="PreviousHiddenState">∂L/∂h_{t−1}.</param>
/// <param name="PreviousCellState">∂L/∂C_{t−1}.</param>
/// <param name="Input">∂L/∂x_t.</param>
/// <param name="WeightIh">∂L/∂weight_ih (4H, I).</param>
/// <param name="WeightHh">∂L/∂weight_hh (4H, H).</param>
/// <param name="BiasIh">∂L/∂bias_ih (4H): the gates' pre-activation gradients.</param>
/// <param name="BiasHh">∂L/∂bias_hh (4H): equal to <paramref name="BiasIh"/>, since both biases enter the same sum.</param>
/// <param name="InputGate">∂L/∂i_t.</param>
/// <param name="ForgetGate">∂L/∂f_t.</param>
/// <param name="CandidateState">∂L/∂C̃_t.</param>
/// <param name="OutputGate">∂L/∂o_t.</param>
/// <param name="CellState">∂L/∂C_t: what arrives from step t+1 plus what flows back through h_t.</param>
public sealed record LstmStepGradients<T>(
    Vector<T> PreviousHiddenState, Vector<T> PreviousCellState, Vector<T> Input,
    Matrix<T> WeightIh, Matrix<T> WeightHh, Vector<T> BiasIh, Vector<T> BiasHh,
    Vector<T> InputGate, Vector<T> ForgetGate, Vector<T> CandidateState, Vector<T> OutputGate, Vector<T> CellState)
    where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>;

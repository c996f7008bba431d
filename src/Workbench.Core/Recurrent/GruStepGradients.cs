using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Recurrent;

/// <summary>
/// What <see cref="GruCell{T}.Backward"/> returns for one step: the gradients the step passes back in time and to
/// its input, the gradients of its parameters in PyTorch's packed layout (gates r, z, n), and, for reading, the
/// gradients of its intermediates.
/// </summary>
/// <param name="PreviousHiddenState">∂L/∂h_{t−1}: the direct share through the blend plus the shares through r, z and n.</param>
/// <param name="Input">∂L/∂x_t.</param>
/// <param name="WeightIh">∂L/∂weight_ih (3H, I).</param>
/// <param name="WeightHh">∂L/∂weight_hh (3H, H).</param>
/// <param name="BiasIh">∂L/∂bias_ih (3H).</param>
/// <param name="BiasHh">∂L/∂bias_hh (3H); its n block differs from bias_ih's when the reset gate acts after the product.</param>
/// <param name="ResetGate">∂L/∂r_t.</param>
/// <param name="UpdateGate">∂L/∂z_t.</param>
/// <param name="CandidateState">∂L/∂n_t (∂L/∂h̃_t).</param>
public sealed record GruStepGradients<T>(
    Vector<T> PreviousHiddenState, Vector<T> Input,
    Matrix<T> WeightIh, Matrix<T> WeightHh, Vector<T> BiasIh, Vector<T> BiasHh,
    Vector<T> ResetGate, Vector<T> UpdateGate, Vector<T> CandidateState)
    where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>;

using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Recurrent;

/// <summary>One step of an <see cref="RnnCell{T}"/>.</summary>
/// <param name="PreActivation">W_ih x_t + b_ih + W_hh h_{t−1} + b_hh.</param>
/// <param name="HiddenState">h_t = act(PreActivation).</param>
public sealed record RnnStep<T>(Vector<T> PreActivation, Vector<T> HiddenState)
    where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>;

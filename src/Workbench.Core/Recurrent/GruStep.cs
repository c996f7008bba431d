using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Recurrent;

/// <summary>One step of a <see cref="GruCell{T}"/> with every intermediate (for gate heatmaps).</summary>
/// <param name="ResetGate">r_t = σ(W_ir x + b_ir + W_hr h + b_hr).</param>
/// <param name="UpdateGate">z_t = σ(W_iz x + b_iz + W_hz h + b_hz).</param>
/// <param name="CandidateState">n_t (h̃_t), with the reset gate placed as the cell says.</param>
/// <param name="HiddenState">h_t, mixing n_t and h_{t−1} by z_t as the cell's update convention says.</param>
public sealed record GruStep<T>(Vector<T> ResetGate, Vector<T> UpdateGate, Vector<T> CandidateState, Vector<T> HiddenState)
    where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>;

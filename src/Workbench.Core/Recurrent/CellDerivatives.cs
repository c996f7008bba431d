using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Recurrent;

/// <summary>
/// The two activation derivatives of the gated cells' backward steps, written with the activation's output, as
/// BPTT by hand uses them: σ'(a) = σ(a)(1 − σ(a)) and tanh'(a) = 1 − tanh²(a).
/// </summary>
public static class CellDerivatives
{
    /// <summary>∂L/∂a = ∂L/∂s ⊙ s ⊙ (1 − s), where s = σ(a) is a gate.</summary>
    public static Vector<T> SigmoidBackward<T>(Vector<T> gate, Vector<T> gradGate)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gate);
        CellMath.CheckLength(gradGate, gate.Count, nameof(gradGate));
        return gradGate.PointwiseMultiply(gate).PointwiseMultiply(gate.SubtractFrom(T.One));
    }

    /// <summary>∂L/∂a = ∂L/∂v ⊙ (1 − v²), where v = tanh(a).</summary>
    public static Vector<T> TanhBackward<T>(Vector<T> value, Vector<T> gradValue)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        CellMath.CheckLength(gradValue, value.Count, nameof(gradValue));
        return gradValue.PointwiseMultiply(value.PointwiseMultiply(value).SubtractFrom(T.One));
    }
}

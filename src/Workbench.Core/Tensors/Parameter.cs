using System.Numerics;

namespace Workbench.Tensors;

/// <summary>
/// A trainable tensor and the gradient accumulated into it. <see cref="Name"/> is the PyTorch state_dict key
/// (e.g. <c>weight_ih_l0_reverse</c>) so checkpoints move between the two.
/// </summary>
public sealed class Parameter<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The state_dict key of this parameter within its module.</summary>
    public string Name { get; }

    /// <summary>The current values.</summary>
    public NdArray<T> Value { get; }

    /// <summary>∂L/∂Value, accumulated by backward passes until <see cref="ZeroGrad"/>.</summary>
    public NdArray<T> Grad { get; }

    /// <summary>Creates a parameter with a zero gradient of the same shape.</summary>
    public Parameter(string name, NdArray<T> value)
    {
        Name = name;
        Value = value;
        Grad = NdArray<T>.Zeros(value.Shape);
    }

    /// <summary>Clears the accumulated gradient.</summary>
    public void ZeroGrad() => Array.Clear(Grad.Data);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {NdArray<T>.FormatShape(Value.Shape)}";
}

using System.Numerics;

namespace Workbench.Tensors;

/// <summary>Anything with trainable parameters, listed in PyTorch state_dict order.</summary>
public interface IModule<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The parameters, named by their state_dict keys, in registration order.</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }
}

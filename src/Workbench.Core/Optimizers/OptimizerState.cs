using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Optimizers;

/// <summary>
/// Everything an optimizer needs to resume bit-exactly: the step count and its per-parameter buffers, named
/// <c>&lt;parameter index&gt;.&lt;buffer&gt;</c> (e.g. <c>0.exp_avg</c>, <c>3.momentum_buffer</c>), as in torch's
/// optimizer state_dict where state is keyed by the parameter's position.
/// </summary>
/// <param name="Kind">The optimizer's name (e.g. "Adam"), checked on import.</param>
/// <param name="StepCount">Number of <see cref="Optimizer{T}.Step"/> calls so far.</param>
/// <param name="Tensors">The buffers (copies), by name.</param>
public sealed record OptimizerState<T>(string Kind, long StepCount, IReadOnlyDictionary<string, NdArray<T>> Tensors)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>;

namespace Workbench.Numerics;

/// <summary>
/// What <see cref="Gemm.Multiply{T}"/> did while <see cref="Gemm.CollectStatistics"/> was on: how many products,
/// how many multiply-adds and how much wall-clock time inside them (used to see where a training step spends its time).
/// </summary>
/// <param name="Calls">Number of products.</param>
/// <param name="MultiplyAdds">Sum of m·n·k over the products.</param>
/// <param name="Seconds">Wall-clock seconds spent inside the products.</param>
public readonly record struct GemmStatistics(long Calls, long MultiplyAdds, double Seconds)
{
    /// <summary>The rate reached inside the products, in GFLOP/s (2 flops per multiply-add).</summary>
    public double GigaFlops => Seconds > 0 ? 2.0 * MultiplyAdds / Seconds / 1e9 : 0;
}

namespace Workbench.Core.Tests;

/// <summary>
/// Tests that count the bytes a thread allocates run alone, after the parallel tests. The counter is per thread, but
/// which parts of a GEMM a thread computes depends on what else is running: when pack buffers were sized per part,
/// that showed up as 7.6 KB in a warm loop. They are sized per product now; running these alone keeps the
/// measurement about the code rather than about its neighbours.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurements
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Allocation measurements";
}

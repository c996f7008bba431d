namespace Workbench.Core.Tests;

/// <summary>
/// Tests that count the bytes a thread allocates run alone, after the parallel tests: a concurrent test using the
/// shared GEMM worker pool makes it busy, and a caller that finds it busy takes another (still allocation-free once
/// warm, but not yet warm) path, so the count would depend on what else happens to run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurements
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Allocation measurements";
}

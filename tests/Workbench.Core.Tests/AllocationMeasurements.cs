namespace Workbench.Core.Tests;

/// <summary>
/// Tests that count the bytes a thread allocates run alone, after the parallel tests: a concurrent test using the
/// shared GEMM worker pool makes it busy, and a caller that finds it busy takes another path, so the count would
/// depend on what else happens to run (seen in CI: 7,592 bytes in a warm loop).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurements
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Allocation measurements";
}

namespace Workbench.Core.Tests;

/// <summary>
/// Tests that change process-wide GEMM settings (<see cref="Workbench.Numerics.Gemm.ThreadCount"/>) run alone, so
/// that no other test runs under a setting it did not choose.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGemmSettings
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Global GEMM settings";
}

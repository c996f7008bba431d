namespace Workbench.Notebooks.Tests.Runner;

/// <summary>Runs change the process's current directory (to the notebook's folder): keep them apart from each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunnerCollection
{
    public const string Name = "notebook runs";
}

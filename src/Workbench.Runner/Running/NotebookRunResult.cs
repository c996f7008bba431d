using Workbench.Runner.Nbformat;

namespace Workbench.Runner.Running;

/// <summary>The outcome of a run: the notebook with its new outputs and the cells that failed.</summary>
/// <param name="Notebook">The executed notebook.</param>
/// <param name="SourcePath">The notebook that was read.</param>
/// <param name="OutputPath">Where it was written (null when only executed in memory).</param>
/// <param name="Failures">Failed cells in order (at most one unless errors were allowed).</param>
/// <param name="ExecutedCells">Code cells that ran.</param>
public sealed record NotebookRunResult(Notebook Notebook, string SourcePath, string? OutputPath, IReadOnlyList<CellFailure> Failures, int ExecutedCells)
{
    /// <summary>True when no cell failed.</summary>
    public bool Succeeded => Failures.Count == 0;

    /// <summary>One line per failure naming the notebook, cell and line; empty when it succeeded.</summary>
    public string ErrorSummary => string.Join("\n", Failures.Select(f => $"{SourcePath}: {f.Describe()}"));
}

using Workbench.Notebooks.Mime;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Execution;

/// <summary>
/// The outcome of one cell: its execution count, the formatted value of its trailing expression (if any), or the
/// error that stopped it. <see cref="Cancelled"/> is set when an interrupt stopped it.
/// </summary>
public sealed record CellExecutionResult(int ExecutionCount, MimeBundle? Result, CellError? Error, bool Cancelled = false)
{
    /// <summary>True when the cell ran to the end.</summary>
    public bool Success => Error is null;
}

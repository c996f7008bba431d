namespace Workbench.Runner.Running;

/// <summary>A cell that failed during a run.</summary>
/// <param name="CellNumber">1-based position of the cell in the notebook as read (an injected parameters cell is not counted).</param>
/// <param name="CellId">The cell id.</param>
/// <param name="Line">1-based line within the cell, when known.</param>
/// <param name="ErrorName">The exception or error name (e.g. CompilationError, InvalidOperationException, CellTimeout).</param>
/// <param name="Message">The error text.</param>
/// <param name="TimedOut">True when the cell ran past the per-cell timeout.</param>
/// <param name="ExecutionCount">The cell's execution count (its "In [n]" label).</param>
public sealed record CellFailure(int CellNumber, string CellId, int? Line, string ErrorName, string Message, bool TimedOut = false, int? ExecutionCount = null)
{
    /// <summary>"cell 4 (In [3], id abcd1234), line 2: InvalidOperationException: …".</summary>
    public string Describe() =>
        $"cell {CellNumber} ({(ExecutionCount is { } n ? $"In [{n}], " : "")}id {CellId}){(Line is { } l ? $", line {l}" : "")}: {ErrorName}: {Message}";
}

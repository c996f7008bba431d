using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Magics;

namespace Workbench.Notebooks.Languages;

/// <summary>
/// The part of a cell that one kernel runs.
/// </summary>
/// <param name="Code">The code, padded with empty lines in front so that its line numbers are the cell's own.</param>
/// <param name="ExecutionCount">The cell's execution count (one per cell, whatever its languages).</param>
/// <param name="Output">Where streams and displays go while it runs.</param>
/// <param name="IsLast">True for the cell's last submission: its trailing value becomes the cell's result.</param>
public sealed record Submission(string Code, int ExecutionCount, ICellOutput Output, bool IsLast = true)
{
    /// <summary>The selector line that chose the kernel (<c>#!value --name v</c>), with its options; null when none did.</summary>
    public MagicLine? Selector { get; init; }
}

using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Languages;

namespace Workbench.Notebooks.Magics;

/// <summary>What a running magic sees: the session, the kernel of the cell part it stands in, its line and the output.</summary>
public sealed class MagicContext
{
    internal MagicContext(NotebookSession session, ILanguageKernel kernel, MagicLine line, ICellOutput output, int executionCount,
        List<Func<Task>> afterCell, CancellationToken cancellation)
    {
        Session = session;
        Kernel = kernel;
        Line = line;
        Output = output;
        ExecutionCount = executionCount;
        AfterCellActions = afterCell;
        Cancellation = cancellation;
    }

    /// <summary>The session the cell runs in.</summary>
    public NotebookSession Session { get; }

    /// <summary>The kernel of the cell part the magic stands in (the target of <c>#!set</c> and <c>#!share</c>).</summary>
    public ILanguageKernel Kernel { get; }

    /// <summary>The parsed magic line.</summary>
    public MagicLine Line { get; }

    /// <summary>The cell's output.</summary>
    public ICellOutput Output { get; }

    /// <summary>The cell's execution count.</summary>
    public int ExecutionCount { get; }

    /// <summary>Cancelled by an interrupt.</summary>
    public CancellationToken Cancellation { get; }

    private List<Func<Task>> AfterCellActions { get; }

    /// <summary>Runs <paramref name="action"/> once the rest of the cell has run (as <c>#!time</c> reports after the outputs).</summary>
    public void AfterCell(Func<Task> action) => AfterCellActions.Add(action);

    /// <summary>A failure of this magic, naming it and its line.</summary>
    public MagicException Fail(string message) => new($"#!{Line.Name}: {message}", Line.Line);
}

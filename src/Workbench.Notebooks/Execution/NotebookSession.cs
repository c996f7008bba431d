using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Execution;

/// <summary>
/// A stateful C# notebook session: cells run in order, and state (variables, types, usings) carries from one to the next.
/// Shared by the kernel and the headless runner so both give the same outputs.
/// </summary>
public sealed class NotebookSession : IDisposable
{
    /// <summary>Creates a session.</summary>
    public NotebookSession(NotebookSessionOptions? options = null)
    {
        Options = options ?? new NotebookSessionOptions();
        Formatters = Options.Formatters ?? new FormatterRegistry();
    }

    /// <summary>The options this session was created with.</summary>
    public NotebookSessionOptions Options { get; }

    /// <summary>The registry that formats results and displayed values.</summary>
    public FormatterRegistry Formatters { get; }

    /// <summary>Number of cells executed so far.</summary>
    public int ExecutionCount { get; private set; }

    /// <summary>Runs one cell. Side outputs go to <paramref name="output"/> as they happen.</summary>
    public Task<CellExecutionResult> ExecuteAsync(string code, ICellOutput output, CancellationToken cancellationToken = default)
        => throw new NotImplementedException("The Roslyn engine lands with the kernel work.");

    /// <inheritdoc/>
    public void Dispose() { }
}

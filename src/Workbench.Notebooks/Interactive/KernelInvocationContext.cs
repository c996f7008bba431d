using Microsoft.DotNet.Interactive.Formatting;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;

namespace Microsoft.DotNet.Interactive;

/// <summary>
/// The running cell, as .NET Interactive's <c>KernelInvocationContext</c> shows it to cells: its cancellation token
/// (cancelled by an interrupt, so long work passed this token stops) and display calls. Only the members notebooks
/// call are here; they act on the session running the calling cell.
/// </summary>
public sealed class KernelInvocationContext
{
    private readonly NotebookSession _session;

    private KernelInvocationContext(NotebookSession session) => _session = session;

    /// <summary>The context of the cell running on this thread or task; null outside a cell.</summary>
    public static KernelInvocationContext? Current => NotebookSession.Current is { } s ? new KernelInvocationContext(s) : null;

    /// <summary>Cancelled when the user interrupts the cell.</summary>
    public CancellationToken CancellationToken => _session.CurrentCancellation;

    /// <summary>Shows a value in the cell's output (formatted for <paramref name="mimeTypes"/>, or as the session formats it).</summary>
    public DisplayedValue Display(object? value, params string[] mimeTypes) => InteractiveFormatter.Show(value, mimeTypes);

    /// <summary>Shows a string as content of one MIME type.</summary>
    public DisplayedValue DisplayAs(string value, string mimeType) => InteractiveFormatter.ShowAs(value, mimeType);
}

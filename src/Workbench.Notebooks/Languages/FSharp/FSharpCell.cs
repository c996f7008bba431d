using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Languages.FSharp;

/// <summary>
/// What an F# cell sees by its bare name: every F# session opens this type (<c>open type</c>), so <c>display x</c>,
/// <c>Cancellation</c>, <c>Formatters</c> and <c>WorkingDirectory</c> mean in F# what they mean in C#
/// (<see cref="CellContext"/>). Each member reads the session running on the caller's logical call context, so the
/// token is always the running cell's.
/// </summary>
public static class FSharpCell
{
    /// <summary>Cancelled when the running cell is interrupted: long loops should check it or pass it on.</summary>
    public static CancellationToken Cancellation => NotebookSession.Current?.CurrentCancellation ?? CancellationToken.None;

    /// <summary>The running session's formatter registry.</summary>
    public static FormatterRegistry Formatters => Session.Formatters;

    /// <summary>The folder relative paths resolve against (the notebook's folder).</summary>
    public static string WorkingDirectory => Session.Options.WorkingDirectory;

    // Lower case on purpose: display as notebooks in every language write it.
    /// <summary>Displays a value (formatted by the session's formatters) and returns a handle to update it in place.</summary>
    public static DisplayHandle display(object? value) => new CellContext(Session).display(value);

    /// <summary>Displays raw content of a MIME type (e.g. "text/html", "text/markdown").</summary>
    public static DisplayHandle display(string content, string mimeType) => new CellContext(Session).display(content, mimeType);

    private static NotebookSession Session =>
        NotebookSession.Current ?? throw new InvalidOperationException("display and the cell's context are only available while a cell runs");

    // A value another kernel shares is handed over through here when F# cannot bind it with its own type.
    [ThreadStatic] private static object? _pending;

    internal static object? Pending
    {
        set => _pending = value;
    }

    /// <summary>Used by the engine to declare a shared variable; not for cells.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static object? __TakePendingValue()
    {
        var value = _pending;
        _pending = null;
        return value;
    }
}

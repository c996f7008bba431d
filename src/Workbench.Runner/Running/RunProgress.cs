using System.Text.Json.Nodes;
using Workbench.Runner.Nbformat;

namespace Workbench.Runner.Running;

/// <summary>
/// Keeps a running notebook's file up to date so that a process that dies inside a cell leaves something useful. Some
/// failures cannot be caught: a stack overflow ends the process at once, and an exception that escapes a thread the cell
/// started ends it right after <see cref="AppDomain.UnhandledException"/>. So before each cell runs, the notebook is
/// written (atomically) with every earlier cell's outputs and this cell marked as the one running; the final write
/// replaces the mark. When an exception escapes a thread, the cell whose code threw it (found from the cell frames of
/// its stack trace, else the cell running) gets the exception as its error output and the file is written once more.
/// </summary>
internal sealed partial class RunProgress : IDisposable
{
    /// <summary>The error name of the mark left on a cell that was running when the process ended.</summary>
    public const string EndedName = "RunnerProcessEnded";

    private const string EndedText =
        "the runner process ended while this cell ran (a stack overflow, an unhandled exception on a thread the cell started, or the process was killed); later cells did not run";

    private readonly Notebook _notebook;
    private readonly string? _target;
    private readonly NotebookRunOptions _options;
    private readonly Dictionary<NotebookCell, int> _numbers = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _gate = new();
    private NotebookCell? _running;

    /// <param name="notebook">The notebook being run.</param>
    /// <param name="target">Where to keep it written (null: only report, e.g. a .dib that is not written).</param>
    /// <param name="options">The run's options (<see cref="NotebookRunOptions.CellStarting"/>, <see cref="NotebookRunOptions.CellCrashed"/>).</param>
    public RunProgress(Notebook notebook, string? target, NotebookRunOptions options)
    {
        _notebook = notebook;
        _target = target;
        _options = options;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
    }

    /// <summary>The mark of a cell that was running when the process ended.</summary>
    public static JsonObject EndedMark() => NotebookOutputs.Error(EndedName, EndedText, [$"{EndedName}: {EndedText}"]);

    /// <summary>Called just before <paramref name="cell"/> runs (in the flow that runs it): reports it and writes the notebook with the cell marked.</summary>
    public void CellStarting(NotebookCell cell, int number)
    {
        lock (_gate)
        {
            _numbers[cell] = number;
            _running = cell;
        }
        _options.CellStarting?.Invoke(number, cell.Id);
        if (_target is null) return;
        var mark = EndedMark();
        cell.Outputs.Add(mark);
        try { NotebookWriter.Write(_notebook, _target); }
        finally { cell.Outputs.Remove(mark); }
    }

    /// <summary>Called after the last cell: nothing is running any more.</summary>
    public void Finished()
    {
        lock (_gate) _running = null;
    }

    private void OnUnhandledException(object sender, UnhandledExceptionEventArgs e)
    {
        var exception = e.ExceptionObject as Exception;
        // The innermost frame of cell code names the cell by its execution count ("cell[3]:line 2"); a cell that has
        // not finished has no count yet, so a frame that names no finished cell is the running cell's.
        var frame = exception?.StackTrace is { } trace ? CellFrame().Match(trace) : null;
        int? count = frame is { Success: true } ? int.Parse(frame.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        int? line = frame is { Success: true } ? int.Parse(frame.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        NotebookCell? cell;
        NotebookCell? running;
        int number;
        lock (_gate)
        {
            running = _running;
            cell = _numbers.Keys.FirstOrDefault(c => c.ExecutionCount is { } n && n == count) ?? running;
            if (cell is null || !_numbers.TryGetValue(cell, out number)) return;
        }
        var name = exception?.GetType().Name ?? "UnhandledException";
        var message = exception?.Message ?? e.ExceptionObject?.ToString() ?? "";
        _options.CellCrashed?.Invoke(new CellFailure(number, cell.Id, line, name, message));
        if (_target is null) return;
        try
        {
            var traceback = new List<string> { $"{EndedName}: an exception escaped a thread this cell started and ended the runner process; later cells did not run" };
            traceback.AddRange((exception?.ToString() ?? message).Split('\n').Select(l => l.TrimEnd()));
            cell.Outputs.Add(NotebookOutputs.Error(name, message, traceback));
            if (running is not null && running != cell) running.Outputs.Add(EndedMark());
            NotebookWriter.Write(_notebook, _target);
        }
        catch (Exception)
        {
            // The process is ending and the cell may still be adding outputs: the file written before the cell ran stays.
        }
    }

    public void Dispose() => AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;

    [System.Text.RegularExpressions.GeneratedRegex(@"cell\[(?<count>\d+)(?:\.\d+)?\]:line (?<line>\d+)")]
    private static partial System.Text.RegularExpressions.Regex CellFrame();
}

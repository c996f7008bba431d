using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;
using Workbench.Notebooks.Execution;

namespace Workbench.Notebooks.Languages.CSharp;

/// <summary>
/// A failed C# submission as Jupyter's error output carries it: compile diagnostics with the cell's line and column,
/// or a runtime exception with the frames of the user's cells (not Roslyn's submission machinery).
/// </summary>
internal static partial class CSharpErrors
{
    public static CellError Compile(CompilationErrorException e)
    {
        var lines = new List<string>();
        int? line = null, column = null;
        foreach (var d in e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            var span = d.Location.GetMappedLineSpan();
            var l = span.StartLinePosition.Line + 1;
            var c = span.StartLinePosition.Character + 1;
            line ??= l;
            column ??= c;
            lines.Add($"({l},{c}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        }
        if (lines.Count == 0) lines.Add(e.Message);
        return new CellError("CompilationError", string.Join("\n", lines), lines, line, column);
    }

    public static CellError Runtime(Exception ex, string cellName)
    {
        int? line = null;
        var frames = new StackTrace(ex, fNeedFileInfo: true).GetFrames();
        foreach (var frame in frames)
        {
            if (Path.GetFileName(frame.GetFileName()) == cellName && frame.GetFileLineNumber() > 0)
            {
                line = frame.GetFileLineNumber();
                break;
            }
        }
        var name = ex.GetType().Name;
        // The first line as .NET (and .NET Interactive's traceback) writes it: the full type name and the message.
        var traceback = new List<string> { $"{ex.GetType().FullName}: {ex.Message}" };
        foreach (var raw in (ex.StackTrace ?? "").Split('\n'))
        {
            var l = raw.TrimEnd();
            if (l.Length == 0 || l.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal)
                || l.Contains("System.Runtime.CompilerServices.", StringComparison.Ordinal)
                || l.Contains("System.Runtime.ExceptionServices.", StringComparison.Ordinal)
                || l.Contains("--- End of stack trace", StringComparison.Ordinal)) continue;
            // "at Submission#3.<<Initialize>>d__0.MoveNext() in /base/cell[3]:line 2" → "at <cell> in cell[3]:line 2"
            l = SubmissionFrame().Replace(l, "<cell>");
            l = CellPath().Replace(l, " in $1:line");
            traceback.Add(l);
        }
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
            traceback.Add($" ---> {inner.GetType().Name}: {inner.Message}");
        return new CellError(name, ex.Message, traceback, line);
    }

    /// <summary>
    /// True for what an interrupt makes a cell throw: the checks' and tokens' <see cref="OperationCanceledException"/>,
    /// a woken wait's <see cref="ThreadInterruptedException"/>, or those wrapped (a task's wait, a type initializer).
    /// </summary>
    public static bool IsInterruption(Exception e) => e switch
    {
        OperationCanceledException or ThreadInterruptedException => true,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsInterruption),
        System.Reflection.TargetInvocationException or TypeInitializationException => e.InnerException is { } inner && IsInterruption(inner),
        _ => false,
    };

    /// <summary>An interrupted cell's error: where in the cell it stopped, as a KeyboardInterrupt's traceback shows it.</summary>
    public static CellError Interrupted(Exception? ex, string cellName)
    {
        const string Message = "The cell was interrupted.";
        var traceback = new List<string> { "OperationCanceledException: " + Message };
        if (ex is null) return new CellError("OperationCanceledException", Message, traceback);
        var at = Runtime(ex, cellName);
        traceback.AddRange(at.Traceback.Skip(1).Where(l => l.Contains(" in cell[", StringComparison.Ordinal)));
        return new CellError("OperationCanceledException", Message, traceback, at.Line);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Submission#\d+\.<<Initialize>>d__\d+\.MoveNext\(\)")]
    private static partial System.Text.RegularExpressions.Regex SubmissionFrame();

    [System.Text.RegularExpressions.GeneratedRegex(@" in \S*?(cell\[[\d.]+\]):line")]
    private static partial System.Text.RegularExpressions.Regex CellPath();
}

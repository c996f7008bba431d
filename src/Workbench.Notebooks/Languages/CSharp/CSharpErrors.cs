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

    /// <summary>
    /// A runtime exception with the frames of the user's cells as IPython shows them, <c>Cell In[3], line 2, in F(Int32 n)</c>
    /// followed by that line of the cell when <paramref name="sources"/> has it; frames of libraries stay as .NET writes them.
    /// </summary>
    /// <param name="ex">The exception.</param>
    /// <param name="cellName">The submission's file name (<c>cell[3]</c>): its first frame gives the error's line.</param>
    /// <param name="sources">The lines of each submission by file name, for the source of each frame.</param>
    public static CellError Runtime(Exception ex, string cellName, IReadOnlyDictionary<string, string[]>? sources = null)
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
                || l.Contains("Workbench.Notebooks.Execution.CellInterrupt", StringComparison.Ordinal)
                || l.Contains("--- End of stack trace", StringComparison.Ordinal)) continue;
            traceback.AddRange(CellFrame(l, sources) ?? new[] { l });
        }
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
            traceback.Add($" ---> {inner.GetType().Name}: {inner.Message}");
        return new CellError(name, ex.Message, traceback, line);
    }

    // "   at Submission#3.Div(Int32 d) in /base/cell[3]:line 2" → "Cell In[3], line 2, in Div(Int32 d)" and the line's code;
    // null for a frame outside the cells.
    private static string[]? CellFrame(string frame, IReadOnlyDictionary<string, string[]>? sources)
    {
        var m = FramePattern().Match(frame);
        if (!m.Success) return null;
        var lineNumber = int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var cell = m.Groups["cell"].Value;
        var count = cell.Split('.')[0];
        var member = MemberName(m.Groups["member"].Value);
        var header = member is null ? $"Cell In[{count}], line {lineNumber}" : $"Cell In[{count}], line {lineNumber}, in {member}";
        if (sources is null || !sources.TryGetValue($"cell[{cell}]", out var lines) || lineNumber > lines.Length) return new[] { header };
        return new[] { header, $"----> {lineNumber} {lines[lineNumber - 1].TrimEnd()}" };
    }

    // The member as the user wrote it: null for the cell's top level; local functions, lambdas and async methods unmangled.
    private static string? MemberName(string member)
    {
        member = SubmissionPrefix().Replace(member, "");
        if (TopLevel().IsMatch(member)) return null;
        member = LocalFunction().Replace(member, "$1");
        member = AsyncMethod().Replace(member, "$1()");
        member = Lambda().Replace(member, "<lambda>");
        return member;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*at (?<member>.+?) in \S*?cell\[(?<cell>[\d.]+)\]:line (?<line>\d+)$")]
    private static partial System.Text.RegularExpressions.Regex FramePattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"Submission#\d+\.")]
    private static partial System.Text.RegularExpressions.Regex SubmissionPrefix();

    [System.Text.RegularExpressions.GeneratedRegex(@"^<<Initialize>>d__\d+\.MoveNext\(\)$")]
    private static partial System.Text.RegularExpressions.Regex TopLevel();

    [System.Text.RegularExpressions.GeneratedRegex(@"<<Initialize>>g__(\w+)\|[\d_]+")]
    private static partial System.Text.RegularExpressions.Regex LocalFunction();

    [System.Text.RegularExpressions.GeneratedRegex(@"<(\w+)>d__\d+\.MoveNext\(\)")]
    private static partial System.Text.RegularExpressions.Regex AsyncMethod();

    [System.Text.RegularExpressions.GeneratedRegex(@"(<>c(__DisplayClass[\d_]+)?\.)?<+[^>]*>+b__[\d_]+(\([^)]*\))?")]
    private static partial System.Text.RegularExpressions.Regex Lambda();

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
    public static CellError Interrupted(Exception? ex, string cellName, IReadOnlyDictionary<string, string[]>? sources = null)
    {
        const string Message = "The cell was interrupted.";
        var traceback = new List<string> { "OperationCanceledException: " + Message };
        if (ex is null) return new CellError("OperationCanceledException", Message, traceback);
        // Reading file and line of every frame of a deep recursion takes longer than the interrupt itself.
        var depth = new StackTrace(ex, fNeedFileInfo: false).FrameCount;
        if (depth > 200)
        {
            traceback.Add($"(stopped {depth} calls deep; the frames are not listed)");
            return new CellError("OperationCanceledException", Message, traceback);
        }
        var at = Runtime(ex, cellName, sources);
        traceback.AddRange(at.Traceback.Skip(1).Where(l => l.StartsWith("Cell In[", StringComparison.Ordinal) || l.StartsWith("---->", StringComparison.Ordinal)));
        return new CellError("OperationCanceledException", Message, traceback, at.Line);
    }
}

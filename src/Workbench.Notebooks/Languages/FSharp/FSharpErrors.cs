using System.Diagnostics;
using System.Text.RegularExpressions;
using FSharp.Compiler.Diagnostics;
using Workbench.Notebooks.Execution;

namespace Workbench.Notebooks.Languages.FSharp;

/// <summary>F# Interactive's diagnostics and exceptions as cell errors, with lines and columns of the cell.</summary>
internal static partial class FSharpErrors
{
    /// <summary>A compilation error: one line per error, <c>(line,col): error FSxxxx: message</c> (1-based, as in C#).</summary>
    public static CellError Compilation(IReadOnlyList<FSharpDiagnostic> errors)
    {
        var lines = errors
            .Select(d => $"({d.StartLine},{d.StartColumn + 1}): error {d.ErrorNumberText}: {OneLine(d.Message)}")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var first = errors[0];
        return new CellError("CompilationError", string.Join("\n", lines), lines, first.StartLine, first.StartColumn + 1);
    }

    /// <summary>A compilation failure F# Interactive reported without a diagnostic.</summary>
    public static CellError Compilation(string message) =>
        new("CompilationError", OneLine(message), new[] { OneLine(message) });

    /// <summary>
    /// A runtime exception: named by its type, with the line of the cell that was executing and a traceback of the
    /// cell's and libraries' frames (F# Interactive's own frames left out).
    /// </summary>
    public static CellError Runtime(Exception ex, string cellName)
    {
        var file = cellName + ".fsx";
        int? line = null;
        foreach (var frame in new StackTrace(ex, fNeedFileInfo: true).GetFrames())
        {
            if (Path.GetFileName(frame.GetFileName()) == file && frame.GetFileLineNumber() > 0)
            {
                line = frame.GetFileLineNumber();
                break;
            }
        }
        var name = ex.GetType().Name;
        var traceback = new List<string> { $"{name}: {ex.Message}" };
        foreach (var raw in (ex.StackTrace ?? "").Split('\n'))
        {
            var l = raw.TrimEnd();
            if (l.Length == 0 || l.Contains("System.Reflection.", StringComparison.Ordinal)
                || l.Contains("FSharp.Compiler.", StringComparison.Ordinal)
                || l.Contains("System.RuntimeMethodHandle", StringComparison.Ordinal)
                || l.Contains("System.Runtime.CompilerServices.", StringComparison.Ordinal)
                || l.Contains("System.Runtime.ExceptionServices.", StringComparison.Ordinal)
                || l.Contains("--- End of", StringComparison.Ordinal)) continue;
            // "at <StartupCode$FSI_0003>.$FSI_0003.main@() in /nb/cell[3].fsx:line 2" → "at <cell> in cell[3].fsx:line 2"
            l = StartupFrame().Replace(l, "<cell>");
            l = CellPath().Replace(l, " in $1:line");
            traceback.Add(l);
        }
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
            traceback.Add($" ---> {inner.GetType().Name}: {inner.Message}");
        return new CellError(name, ex.Message, traceback, line);
    }

    /// <summary>A message on one line: F# spreads some over several ("expected to have type\n    'int'").</summary>
    public static string OneLine(string message) => Whitespace().Replace(message.Trim(), " ");

    [GeneratedRegex(@"\s*\n\s*")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"<StartupCode\$FSI_\d+>\.\$FSI_\d+\.main@\(\)")]
    private static partial Regex StartupFrame();

    [GeneratedRegex(@" in \S*?(cell\[[\d.]+\]\.fsx):line")]
    private static partial Regex CellPath();
}

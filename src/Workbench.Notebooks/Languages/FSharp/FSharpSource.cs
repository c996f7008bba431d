using System.Text.RegularExpressions;
using Workbench.Notebooks.Directives;

namespace Workbench.Notebooks.Languages.FSharp;

/// <summary>
/// An F# cell split into the directives the engine resolves itself (<c>#r "x.dll"</c>, <c>#r "nuget: Name, Version"</c>,
/// <c>#:package Name@Version</c>, <c>#:project path</c>) and the code handed to F# Interactive, where those lines are
/// blanked to spaces so that every line and column is still the cell's. Packages are restored the way C# cells
/// restore them (one offline-capable restore per session) instead of by F# Interactive's own NuGet manager.
/// Other <c>#</c> directives (<c>#load</c>, <c>#i</c>, <c>#time</c>, …) are left to F# Interactive.
/// </summary>
internal sealed partial class FSharpSource
{
    private FSharpSource(IReadOnlyList<CellDirective> directives, string body)
    {
        Directives = directives;
        Body = body;
    }

    /// <summary>The directives, in cell order.</summary>
    public IReadOnlyList<CellDirective> Directives { get; }

    /// <summary>The cell with directive lines blanked.</summary>
    public string Body { get; }

    // #r "path", #r @"path", #r """path""" (F# string forms), with an optional trailing // comment.
    [GeneratedRegex(""""^\s*#r\s+(@"(?<arg>[^"]*)"|"""(?<arg>.*?)"""|"(?<arg>[^"]*)")\s*(//.*)?$"""")]
    private static partial Regex ReferencePattern();


    /// <summary>Splits a cell. Throws <see cref="DirectiveException"/> for a malformed directive.</summary>
    public static FSharpSource Parse(string code)
    {
        var lines = code.Replace("\r\n", "\n").Split('\n');
        var directives = new List<CellDirective>();
        var inString = false; // a line inside a triple-quoted string is text, not a directive
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (!inString && (trimmed.StartsWith("#r", StringComparison.Ordinal) || trimmed.StartsWith("#:", StringComparison.Ordinal)))
            {
                var d = Directive(line, i + 1);
                if (d is null) continue;
                directives.Add(d);
                lines[i] = new string(' ', line.Length);
                continue;
            }
            if (CountTripleQuotes(line) % 2 == 1) inString = !inString;
        }
        return new FSharpSource(directives, string.Join('\n', lines));
    }

    private static int CountTripleQuotes(string line)
    {
        var n = 0;
        for (var at = line.IndexOf("\"\"\"", StringComparison.Ordinal); at >= 0; at = line.IndexOf("\"\"\"", at + 3, StringComparison.Ordinal)) n++;
        return n;
    }

    private static CellDirective? Directive(string line, int lineNumber)
    {
        var text = line.Trim();
        if (text.StartsWith("#r ", StringComparison.Ordinal) || text.StartsWith("#r\t", StringComparison.Ordinal) || text == "#r")
        {
            var m = ReferencePattern().Match(line);
            if (!m.Success) throw new DirectiveException(text, lineNumber, "expected #r \"path.dll\" or #r \"nuget: Name, Version\"");
            var arg = m.Groups["arg"].Value.Trim();
            if (arg.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)) return CellSource.NuGetReference(arg, text, lineNumber);
            // Other dependency managers ("paket: ...") are F# Interactive's business.
            if (Regex.IsMatch(arg, @"^[A-Za-z]{2,}:(?![\\/])")) return null;
            if (arg.Length == 0) throw new DirectiveException(text, lineNumber, "the path is empty");
            return new CellDirective(DirectiveKind.AssemblyReference, arg, null, text, lineNumber);
        }
        return CellSource.SdkDirective(line, text, lineNumber);
    }
}

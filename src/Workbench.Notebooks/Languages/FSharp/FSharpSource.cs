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

    [GeneratedRegex("""^\s*#:package\s+(?<arg>\S+)\s*(//.*)?$""")]
    private static partial Regex PackagePattern();

    [GeneratedRegex("""^\s*#:project\s+(?<arg>.+?)\s*$""")]
    private static partial Regex ProjectPattern();

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
            if (arg.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
            {
                var parts = arg["nuget:".Length..].Trim().Split(',', StringSplitOptions.TrimEntries);
                if (parts.Length is < 1 or > 2 || parts[0].Length == 0)
                    throw new DirectiveException(text, lineNumber, "expected #r \"nuget: Name, Version\"");
                return new CellDirective(DirectiveKind.Package, parts[0], parts.Length == 2 && parts[1].Length > 0 ? parts[1] : null, text, lineNumber);
            }
            // Other dependency managers ("paket: ...") are F# Interactive's business.
            if (Regex.IsMatch(arg, @"^[A-Za-z]{2,}:(?![\\/])")) return null;
            if (arg.Length == 0) throw new DirectiveException(text, lineNumber, "the path is empty");
            return new CellDirective(DirectiveKind.AssemblyReference, arg, null, text, lineNumber);
        }
        if (text.StartsWith("#:package", StringComparison.Ordinal))
        {
            var m = PackagePattern().Match(line);
            if (!m.Success) throw new DirectiveException(text, lineNumber, "expected #:package Name@Version");
            var arg = m.Groups["arg"].Value;
            var at = arg.IndexOf('@');
            var name = at < 0 ? arg : arg[..at];
            var version = at < 0 ? null : arg[(at + 1)..];
            if (name.Length == 0 || version is { Length: 0 }) throw new DirectiveException(text, lineNumber, "expected #:package Name@Version");
            return new CellDirective(DirectiveKind.Package, name, version, text, lineNumber);
        }
        if (text.StartsWith("#:project", StringComparison.Ordinal))
        {
            var m = ProjectPattern().Match(line);
            if (!m.Success) throw new DirectiveException(text, lineNumber, "expected #:project path/to/Project.csproj");
            return new CellDirective(DirectiveKind.Project, m.Groups["arg"].Value.Trim('"'), null, text, lineNumber);
        }
        if (text.StartsWith("#:", StringComparison.Ordinal))
            throw new DirectiveException(text, lineNumber, "unknown directive (supported: #r, #:package, #:project)");
        return null;
    }
}

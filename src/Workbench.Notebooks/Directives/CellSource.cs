using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Workbench.Notebooks.Directives;

/// <summary>
/// A cell split into what Roslyn cannot take as written: directives (<c>#r</c>, <c>#:package</c>, <c>#:project</c>)
/// and using directives that appear after code. <see cref="Script"/> is the code to compile: usings hoisted to the
/// top, each preceded by a <c>#line</c> directive with its original line, then <c>#line 1</c> and the body with the
/// directive and using lines blanked, so every diagnostic and stack frame maps back to the cell's own lines.
/// </summary>
internal sealed partial class CellSource
{
    private CellSource(IReadOnlyList<CellDirective> directives, IReadOnlyList<(int Line, string Text)> usings, string body)
    {
        Directives = directives;
        Usings = usings;
        Body = body;
    }

    /// <summary>The directives, in cell order.</summary>
    public IReadOnlyList<CellDirective> Directives { get; }

    /// <summary>The using directives (1-based line, text).</summary>
    public IReadOnlyList<(int Line, string Text)> Usings { get; }

    /// <summary>The cell with directive and using lines blanked to spaces (same lines and offsets as the cell).</summary>
    public string Body { get; }

    /// <summary>The text handed to Roslyn.</summary>
    public string Script
    {
        get
        {
            if (Usings.Count == 0) return Body;
            var sb = new StringBuilder();
            foreach (var (line, text) in Usings) sb.Append("#line ").Append(line).Append('\n').Append(text.Trim()).Append('\n');
            sb.Append("#line 1\n").Append(Body);
            return sb.ToString();
        }
    }

    [GeneratedRegex("""^\s*#r\s+"(?<arg>[^"]*)"\s*(//.*)?$""")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("""^\s*#i\s+"(?<arg>[^"]*)"\s*(//.*)?$""")]
    private static partial Regex IncludePattern();

    [GeneratedRegex("""^\s*#:package\s+(?<arg>\S+)\s*(//.*)?$""")]
    private static partial Regex PackagePattern();

    [GeneratedRegex("""^\s*#:project\s+(?<arg>.+?)\s*$""")]
    private static partial Regex ProjectPattern();

    // A using directive (plain, static, alias, global), not a using statement or declaration.
    [GeneratedRegex("""^\s*(global\s+)?using\s+(static\s+)?(@?\w+\s*=\s*)?@?[A-Za-z_][\w.]*(\s*<[^;()]*>)?\s*;\s*(//.*)?$""")]
    private static partial Regex UsingPattern();

    /// <summary>Splits a cell. Throws <see cref="DirectiveException"/> for a malformed directive.</summary>
    public static CellSource Parse(string code)
    {
        var lines = code.Replace("\r\n", "\n").Split('\n');
        var directives = new List<CellDirective>();
        var usings = new List<(int, string)>();
        var tree = (SyntaxTree?)null;
        var lineStarts = new int[lines.Length];
        for (int i = 0, offset = 0; i < lines.Length; offset += lines[i].Length + 1, i++) lineStarts[i] = offset;

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("#r", StringComparison.Ordinal) || trimmed.StartsWith("#:", StringComparison.Ordinal) || trimmed.StartsWith("#i", StringComparison.Ordinal))
            {
                var d = ParseDirective(line, i + 1);
                if (d is null) continue; // e.g. "#region": left to Roslyn
                directives.Add(d);
                lines[i] = Blank(line);
            }
            else if (trimmed.StartsWith("using", StringComparison.Ordinal) || trimmed.StartsWith("global", StringComparison.Ordinal))
            {
                if (!UsingPattern().IsMatch(line)) continue;
                // Not inside a multi-line string or comment: the first token on the line must be the 'using' keyword.
                tree ??= CSharpSyntaxTree.ParseText(code.Replace("\r\n", "\n"), new CSharpParseOptions(kind: SourceCodeKind.Script));
                var token = tree.GetRoot().FindToken(lineStarts[i] + (line.Length - trimmed.Length), findInsideTrivia: true);
                if (!token.IsKind(SyntaxKind.UsingKeyword) && !token.IsKind(SyntaxKind.GlobalKeyword)) continue;
                usings.Add((i + 1, line));
                lines[i] = Blank(line);
            }
        }
        return new CellSource(directives, usings, string.Join('\n', lines));
    }

    // Spaces keep every offset of the cell valid in the body (completion positions rely on it).
    private static string Blank(string line) => new(' ', line.Length);

    private static CellDirective? ParseDirective(string line, int lineNumber)
    {
        var text = line.Trim();
        if (text.StartsWith("#r ", StringComparison.Ordinal) || text.StartsWith("#r\t", StringComparison.Ordinal) || text == "#r")
        {
            var m = ReferencePattern().Match(line);
            if (!m.Success) throw new DirectiveException(text, lineNumber, "expected #r \"path.dll\" or #r \"nuget: Name, Version\"");
            var arg = m.Groups["arg"].Value.Trim();
            if (arg.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)) return NuGetReference(arg, text, lineNumber);
            if (arg.Length == 0) throw new DirectiveException(text, lineNumber, "the path is empty");
            return new CellDirective(DirectiveKind.AssemblyReference, arg, null, text, lineNumber);
        }
        if (text.StartsWith("#i ", StringComparison.Ordinal) || text.StartsWith("#i\t", StringComparison.Ordinal) || text == "#i")
        {
            var m = IncludePattern().Match(line);
            var arg = m.Success ? m.Groups["arg"].Value.Trim() : "";
            if (!arg.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase) || arg["nuget:".Length..].Trim().Length == 0)
                throw new DirectiveException(text, lineNumber, "expected #i \"nuget: SOURCE\" (a feed URL or a local folder)");
            return new CellDirective(DirectiveKind.PackageSource, arg["nuget:".Length..].Trim(), null, text, lineNumber);
        }
        return SdkDirective(line, text, lineNumber);
    }

    /// <summary><c>#r "nuget: Name[, Version]"</c>'s argument as a package directive (C# and F# write it alike).</summary>
    internal static CellDirective NuGetReference(string arg, string text, int lineNumber)
    {
        var parts = arg["nuget:".Length..].Trim().Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2 || parts[0].Length == 0)
            throw new DirectiveException(text, lineNumber, "expected #r \"nuget: Name, Version\"");
        return new CellDirective(DirectiveKind.Package, parts[0], parts.Length == 2 && parts[1].Length > 0 ? parts[1] : null, text, lineNumber);
    }

    /// <summary>The .NET SDK's file-based directives, <c>#:package Name@Version</c> and <c>#:project path</c>; null for other lines.</summary>
    internal static CellDirective? SdkDirective(string line, string text, int lineNumber)
    {
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

using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Workbench.Runner.Export;

/// <summary>
/// A small server-side highlighter for C# cells in exported pages (no script needed): comments, strings, numbers,
/// keywords and directives get a span with a class; everything is HTML-escaped.
/// </summary>
internal static partial class CSharpHighlighter
{
    public static string Highlight(string code)
    {
        var sb = new StringBuilder();
        var last = 0;
        foreach (Match m in Token().Matches(code))
        {
            sb.Append(WebUtility.HtmlEncode(code[last..m.Index]));
            var kind = m.Groups["comment"].Success ? "c"
                : m.Groups["directive"].Success ? "d"
                : m.Groups["string"].Success ? "s"
                : m.Groups["number"].Success ? "n"
                : "k";
            sb.Append("<span class=\"").Append(kind).Append("\">").Append(WebUtility.HtmlEncode(m.Value)).Append("</span>");
            last = m.Index + m.Length;
        }
        sb.Append(WebUtility.HtmlEncode(code[last..]));
        return sb.ToString();
    }

    [GeneratedRegex("""
        (?<comment>//[^\n]*|/\*.*?\*/)
        |(?<directive>^[ \t]*\#[a-z:!]+[^\n]*)
        |(?<string>\$?@"(?:[^"]|"")*"|@?\$?"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)+')
        |(?<number>\b(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)[fFdDmMuUlL]*\b)
        |(?<keyword>\b(?:abstract|as|async|await|base|bool|break|byte|case|catch|char|checked|class|const|continue|decimal|default|delegate|do|double|else|enum|event|explicit|extern|false|finally|fixed|float|for|foreach|get|goto|if|implicit|in|init|int|interface|internal|is|lock|long|namespace|new|null|object|operator|out|override|params|private|protected|public|readonly|record|ref|return|sbyte|sealed|set|short|sizeof|stackalloc|static|string|struct|switch|this|throw|true|try|typeof|uint|ulong|unchecked|unsafe|ushort|using|var|virtual|void|volatile|when|where|while|with|yield)\b)
        """, RegexOptions.Singleline | RegexOptions.Multiline | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Token();
}

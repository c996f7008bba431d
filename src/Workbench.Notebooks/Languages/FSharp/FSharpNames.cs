using System.Text;
using System.Text.RegularExpressions;

namespace Workbench.Notebooks.Languages.FSharp;

/// <summary>Names as F# cells write them: variables that can be declared, and types that can be named.</summary>
internal static partial class FSharpNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "and", "as", "assert", "base", "begin", "class", "default", "delegate", "do", "done", "downcast",
        "downto", "elif", "else", "end", "exception", "extern", "false", "finally", "fixed", "for", "fun", "function",
        "global", "if", "in", "inherit", "inline", "interface", "internal", "lazy", "let", "match", "member", "module",
        "mutable", "namespace", "new", "not", "null", "of", "open", "or", "override", "private", "public", "rec",
        "return", "select", "sig", "static", "struct", "then", "to", "true", "try", "type", "upcast", "use", "val",
        "void", "when", "while", "with", "yield", "const", "it",
    };

    private static readonly Dictionary<Type, string> Abbreviations = new()
    {
        [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(char)] = "char",
        [typeof(short)] = "int16", [typeof(ushort)] = "uint16", [typeof(int)] = "int", [typeof(uint)] = "uint32",
        [typeof(long)] = "int64", [typeof(ulong)] = "uint64", [typeof(float)] = "float32", [typeof(double)] = "float",
        [typeof(decimal)] = "decimal", [typeof(string)] = "string", [typeof(object)] = "obj",
        [typeof(nint)] = "nativeint", [typeof(nuint)] = "unativeint",
    };

    /// <summary>True for a name an F# cell can bind with <c>let</c>.</summary>
    public static bool IsIdentifier(string name) => Identifier().IsMatch(name) && !Keywords.Contains(name);

    /// <summary>
    /// True when F# code can name the type: false for a type declared in a C# cell (an in-memory script assembly),
    /// compiler-generated and non-public types, and generic types with such an argument.
    /// </summary>
    public static bool CanName(Type type)
    {
        if (type.IsArray || type.IsPointer || type.IsByRef) return type.GetElementType() is { } e && CanName(e);
        if (!type.IsVisible || type.Name.Contains('<')) return false;
        var assembly = type.Assembly;
        if (assembly.IsDynamic || (string.IsNullOrEmpty(assembly.Location) && !assembly.GetName().Name!.StartsWith("FSI-ASSEMBLY", StringComparison.Ordinal))) return false;
        return !type.IsGenericType || type.GetGenericArguments().All(CanName);
    }

    /// <summary>
    /// The type as an F# annotation writes it (<c>System.Collections.Generic.List&lt;System.Int32&gt;</c>), or null when F#
    /// code cannot name it (see <see cref="CanName"/>; types of F# cells themselves are left to <c>obj</c> too).
    /// </summary>
    public static string? Annotation(Type type)
    {
        if (!CanName(type)) return null;
        if (Abbreviations.TryGetValue(type, out var abbreviation)) return abbreviation;
        if (type.IsArray) return Annotation(type.GetElementType()!) is { } e ? e + "[" + new string(',', type.GetArrayRank() - 1) + "]" : null;
        if (string.IsNullOrEmpty(type.Assembly.Location)) return null;
        var sb = new StringBuilder();
        Append(sb, type);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Type type)
    {
        var args = type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes;
        var chain = new List<Type>();
        for (var t = type; t is not null; t = t.DeclaringType) chain.Insert(0, t);
        if (!string.IsNullOrEmpty(chain[0].Namespace))
            foreach (var part in chain[0].Namespace!.Split('.')) sb.Append(Quoted(part)).Append('.');
        var used = 0;
        for (var i = 0; i < chain.Count; i++)
        {
            if (i > 0) sb.Append('.');
            var name = chain[i].Name;
            var tick = name.IndexOf('`');
            sb.Append(Quoted(tick < 0 ? name : name[..tick]));
            var count = chain[i].IsGenericType ? chain[i].GetGenericArguments().Length - used : 0;
            if (count > 0)
            {
                sb.Append('<').AppendJoin(", ", args.Skip(used).Take(count).Select(a => Annotation(a))).Append('>');
                used += count;
            }
        }
    }

    private static string Quoted(string name) => IsIdentifier(name) ? name : "``" + name + "``";

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_']*$")]
    private static partial Regex Identifier();
}

using System.Text;
using System.Text.RegularExpressions;

namespace Workbench.Notebooks.Languages.CSharp;

/// <summary>How a C# cell spells a runtime type (<c>List&lt;int[]&gt;</c>, not <c>List`1[Int32[]]</c>).</summary>
internal static partial class CSharpTypeNames
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(char)] = "char",
        [typeof(short)] = "short", [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint",
        [typeof(long)] = "long", [typeof(ulong)] = "ulong", [typeof(float)] = "float", [typeof(double)] = "double",
        [typeof(decimal)] = "decimal", [typeof(string)] = "string", [typeof(object)] = "object",
    };

    /// <summary>The type as C# source writes it, fully qualified; <c>object</c> for a type a cell cannot name.</summary>
    public static string Of(Type type)
    {
        if (Keywords.TryGetValue(type, out var k)) return k;
        if (type.IsArray) return Of(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        if (Nullable.GetUnderlyingType(type) is { } u) return Of(u) + "?";
        // Compiler-generated and non-public types (anonymous types, closures) have no name a cell can write.
        if (!type.IsVisible || type.IsPointer || type.IsByRef || type.Name.Contains('<')) return "object";
        // A type declared in an earlier cell is a nested type of its submission class: cells name it without the prefix.
        if (type.DeclaringType is { } d && d.Name.StartsWith("Submission#", StringComparison.Ordinal)) return type.Name;
        var sb = new StringBuilder("global::");
        Append(sb, type);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Type type)
    {
        var args = type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes;
        var chain = new List<Type>();
        for (var t = type; t is not null; t = t.DeclaringType) chain.Insert(0, t);
        if (!string.IsNullOrEmpty(chain[0].Namespace)) sb.Append(chain[0].Namespace).Append('.');
        var used = 0;
        for (var i = 0; i < chain.Count; i++)
        {
            if (i > 0) sb.Append('.');
            var name = chain[i].Name;
            var tick = name.IndexOf('`');
            sb.Append(tick < 0 ? name : name[..tick]);
            var count = chain[i].IsGenericType ? chain[i].GetGenericArguments().Length - used : 0;
            if (count > 0)
            {
                sb.Append('<').AppendJoin(", ", args.Skip(used).Take(count).Select(Of)).Append('>');
                used += count;
            }
        }
    }

    /// <summary>True for a name a C# cell can declare as a variable.</summary>
    public static bool IsIdentifier(string name) => Identifier().IsMatch(name) && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None;

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}

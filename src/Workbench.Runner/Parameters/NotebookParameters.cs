using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Workbench.Runner.Nbformat;

namespace Workbench.Runner.Parameters;

/// <summary>
/// Papermill-style parameters for C# notebooks. The cell tagged <c>parameters</c> declares defaults
/// (<c>int epochs = 10; var lr = 0.01; string corpus = "tiny.txt";</c>); overrides go into a new cell tagged
/// <c>injected-parameters</c> right after it, each typed like the declaration it replaces, so later cells see the
/// overriding values. A previous injected cell is replaced.
/// </summary>
public static class NotebookParameters
{
    /// <summary>The tag of the cell that declares the defaults.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>The tag of the cell the runner inserts.</summary>
    public const string InjectedTag = "injected-parameters";

    private static readonly Dictionary<SpecialType, string> Keywords = new()
    {
        [SpecialType.System_Int32] = "int", [SpecialType.System_Int64] = "long", [SpecialType.System_Int16] = "short",
        [SpecialType.System_Byte] = "byte", [SpecialType.System_UInt32] = "uint", [SpecialType.System_UInt64] = "ulong",
        [SpecialType.System_Double] = "double", [SpecialType.System_Single] = "float", [SpecialType.System_Decimal] = "decimal",
        [SpecialType.System_Boolean] = "bool", [SpecialType.System_String] = "string", [SpecialType.System_Char] = "char",
    };

    /// <summary>Parses "name=value" arguments (as given to <c>-p</c>) into a map; a later one with the same name wins.</summary>
    public static IReadOnlyDictionary<string, string> ParseAssignments(IEnumerable<string> assignments)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in assignments)
        {
            var eq = a.IndexOf('=');
            if (eq <= 0) throw new NotebookParameterException($"parameter '{a}' is not of the form name=value");
            map[a[..eq].Trim()] = a[(eq + 1)..];
        }
        return map;
    }

    /// <summary>The declarations of a parameters cell's source, in order.</summary>
    public static IReadOnlyList<ParameterDeclaration> Declarations(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(kind: SourceCodeKind.Script));
        var list = new List<ParameterDeclaration>();
        foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<VariableDeclarationSyntax>())
        {
            if (declaration.Parent is not (FieldDeclarationSyntax or LocalDeclarationStatementSyntax)) continue;
            if (declaration.Parent.Parent is not (CompilationUnitSyntax or GlobalStatementSyntax)) continue;
            foreach (var v in declaration.Variables)
            {
                var initializer = v.Initializer?.Value;
                var type = TypeOf(declaration.Type, initializer);
                var line = v.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                list.Add(new ParameterDeclaration(v.Identifier.ValueText, type, initializer?.ToString() ?? "", line));
            }
        }
        return list;
    }

    /// <summary>
    /// Inserts the overrides after the cell tagged <c>parameters</c> (replacing an earlier injected cell) and returns
    /// that new cell; returns null and changes nothing when <paramref name="values"/> is empty.
    /// </summary>
    public static NotebookCell? Inject(Notebook notebook, IReadOnlyDictionary<string, string> values)
    {
        notebook.Cells.RemoveAll(c => c.HasTag(InjectedTag));
        if (values.Count == 0) return null;
        var index = notebook.Cells.FindIndex(c => c.IsCode && c.HasTag(ParametersTag));
        if (index < 0)
            throw new NotebookParameterException(
                $"no code cell is tagged '{ParametersTag}', so there are no parameters to set ({string.Join(", ", values.Keys)})");
        var declared = Declarations(notebook.Cells[index].Source);
        var lines = new List<string> { "// Parameters injected by 'workbench notebook run'" };
        foreach (var (name, value) in values)
        {
            var d = declared.LastOrDefault(p => p.Name == name)
                ?? throw new NotebookParameterException(
                    $"unknown parameter '{name}': the parameters cell (cell {index + 1}) declares "
                    + (declared.Count == 0 ? "nothing" : string.Join(", ", declared.Select(p => $"{p.TypeName} {p.Name}"))));
            lines.Add($"{d.TypeName} {name} = {Literal(d, value)};");
        }
        var cell = NotebookCell.Code(string.Join("\n", lines), InjectedTag);
        notebook.Cells.Insert(index + 1, cell);
        return cell;
    }

    /// <summary>The C# literal for <paramref name="value"/> read as the declared type.</summary>
    public static string Literal(ParameterDeclaration declaration, string value)
    {
        var inv = CultureInfo.InvariantCulture;
        string Bad(string what) => throw new NotebookParameterException(
            $"parameter '{declaration.Name}' is {declaration.TypeName} in the parameters cell (line {declaration.Line}: {declaration.Initializer}); '{value}' is not {what}");
        var text = value.Trim();
        switch (declaration.TypeName)
        {
            case "int": return int.TryParse(text, NumberStyles.Integer, inv, out var i) ? i.ToString(inv) : Bad("an int");
            case "long": return long.TryParse(text, NumberStyles.Integer, inv, out var l) ? l.ToString(inv) + "L" : Bad("a long");
            case "short": return short.TryParse(text, NumberStyles.Integer, inv, out var s) ? s.ToString(inv) : Bad("a short");
            case "byte": return byte.TryParse(text, NumberStyles.Integer, inv, out var b) ? b.ToString(inv) : Bad("a byte");
            case "uint": return uint.TryParse(text, NumberStyles.Integer, inv, out var u) ? u.ToString(inv) + "U" : Bad("a uint");
            case "ulong": return ulong.TryParse(text, NumberStyles.Integer, inv, out var ul) ? ul.ToString(inv) + "UL" : Bad("a ulong");
            case "double":
                if (!double.TryParse(text, NumberStyles.Float, inv, out var d)) return Bad("a double");
                return double.IsNaN(d) ? "double.NaN" : double.IsPositiveInfinity(d) ? "double.PositiveInfinity"
                    : double.IsNegativeInfinity(d) ? "double.NegativeInfinity" : d.ToString("R", inv) + "d";
            case "float":
                if (!float.TryParse(text, NumberStyles.Float, inv, out var f)) return Bad("a float");
                return float.IsNaN(f) ? "float.NaN" : float.IsPositiveInfinity(f) ? "float.PositiveInfinity"
                    : float.IsNegativeInfinity(f) ? "float.NegativeInfinity" : f.ToString("R", inv) + "f";
            case "decimal": return decimal.TryParse(text, NumberStyles.Float, inv, out var m) ? m.ToString(inv) + "m" : Bad("a decimal");
            case "bool": return bool.TryParse(text, out var flag) ? (flag ? "true" : "false") : Bad("a bool (true or false)");
            case "char": return value.Length == 1 ? SymbolDisplay.FormatLiteral(value[0], quote: true) : Bad("a single character");
            case "string": return SymbolDisplay.FormatLiteral(value, quote: true);
            default:
                throw new NotebookParameterException(
                    $"parameter '{declaration.Name}' has type {declaration.TypeName} (line {declaration.Line}); only int, long, short, byte, uint, ulong, double, float, decimal, bool, char and string can be set with -p");
        }
    }

    private static string TypeOf(TypeSyntax type, ExpressionSyntax? initializer)
    {
        if (type is PredefinedTypeSyntax predefined) return predefined.Keyword.ValueText;
        if (!type.IsVar) return type.ToString();
        var literal = initializer switch
        {
            LiteralExpressionSyntax lit => lit,
            PrefixUnaryExpressionSyntax { Operand: LiteralExpressionSyntax lit } => lit,
            _ => null,
        };
        var special = literal?.Token.Value switch
        {
            int => SpecialType.System_Int32, long => SpecialType.System_Int64, uint => SpecialType.System_UInt32,
            ulong => SpecialType.System_UInt64, double => SpecialType.System_Double, float => SpecialType.System_Single,
            decimal => SpecialType.System_Decimal, bool => SpecialType.System_Boolean, string => SpecialType.System_String,
            char => SpecialType.System_Char, _ => SpecialType.None,
        };
        return Keywords.TryGetValue(special, out var keyword) ? keyword : $"var (= {initializer})";
    }
}

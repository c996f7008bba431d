namespace Workbench.Runner.Parameters;

/// <summary>
/// One variable of the cell tagged <c>parameters</c>: its name, its C# type (as written, or inferred from the
/// literal for <c>var</c>), and the initializer text.
/// </summary>
/// <param name="Name">The variable name.</param>
/// <param name="TypeName">The C# keyword of its type (int, long, double, float, decimal, bool, string, char, …), or the
/// type as written when it is not one a command-line value can set.</param>
/// <param name="Initializer">The initializer expression as written.</param>
/// <param name="Line">The 1-based line in the parameters cell.</param>
public sealed record ParameterDeclaration(string Name, string TypeName, string Initializer, int Line);

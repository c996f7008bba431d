namespace Workbench.Notebooks.Directives;

/// <summary>A directive that could not be parsed or resolved; names the directive and its line within the cell.</summary>
public sealed class DirectiveException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DirectiveException(string directive, int line, string reason, Exception? inner = null)
        : base($"line {line}: {directive}: {reason}", inner)
    {
        Directive = directive;
        Line = line;
    }

    /// <summary>The directive's text.</summary>
    public string Directive { get; }

    /// <summary>Its 1-based line within the cell.</summary>
    public int Line { get; }
}

namespace Workbench.Notebooks.Directives;

/// <summary>
/// One directive found in a cell: its kind, its argument (path, package name, project path), the package version
/// (null when absent), the directive's text and its 1-based line within the cell.
/// </summary>
public sealed record CellDirective(DirectiveKind Kind, string Argument, string? Version, string Text, int Line);

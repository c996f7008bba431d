namespace Workbench.Notebooks.Execution;

/// <summary>
/// Why a cell failed, as Jupyter's error output carries it: the exception type (ename), its message (evalue), a
/// traceback, and the line and column within the cell (1-based) when known.
/// </summary>
public sealed record CellError(string Name, string Value, IReadOnlyList<string> Traceback, int? Line = null, int? Column = null);

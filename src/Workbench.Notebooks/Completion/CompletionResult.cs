namespace Workbench.Notebooks.Completion;

/// <summary>
/// Completions at a cursor: the candidate texts and the span of the cell they replace
/// (<see cref="CursorStart"/> to <see cref="CursorEnd"/>, UTF-16 offsets within the cell).
/// </summary>
public sealed record CompletionResult(IReadOnlyList<string> Matches, int CursorStart, int CursorEnd);

namespace Workbench.Kernel.History;

/// <summary>
/// One stored cell: the kernel session it ran in (numbered from 1, one per kernel start), its line (the execution
/// count), the code as the client sent it, and the plain-text result it produced (null when it had none).
/// </summary>
internal sealed record HistoryEntry(int Session, int Line, string Source, string? Output);

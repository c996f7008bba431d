using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Execution;

/// <summary>Settings for a <see cref="NotebookSession"/>.</summary>
public sealed record NotebookSessionOptions
{
    /// <summary>The folder relative paths in directives and cells resolve against (the notebook's folder).</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>The formatter registry; a new registry with the built-in formatters when null.</summary>
    public FormatterRegistry? Formatters { get; init; }

    /// <summary>How long an interrupted cell may take to return before it is reported as not responding.</summary>
    public TimeSpan InterruptGracePeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether C# cells are rewritten so that an interrupt stops their loops, recursions and blocking waits (true); false
    /// compiles cells exactly as written (an interrupt then stops only code that checks <c>Cancellation</c>).
    /// </summary>
    public bool InterruptChecks { get; init; } = true;

    /// <summary>The language of code before any language magic and of cells whose metadata names none ("csharp").</summary>
    public string DefaultKernelName { get; init; } = "csharp";
}

namespace Workbench.Runner.Polyglot;

/// <summary>
/// One kernel a Polyglot notebook names in its metadata (<c>kernelInfo.items[]</c>): the name a cell selects it by
/// (<c>#!name</c> or <c>metadata.polyglot_notebook.kernelName</c>), its language and its other <c>#!</c> spellings.
/// </summary>
/// <param name="Name">The kernel name: "csharp", "fsharp", "markdown", …</param>
/// <param name="LanguageName">The language ("C#", "Mermaid"), or null when the file gives none.</param>
/// <param name="Aliases">Other names that select it ("c#", "cs").</param>
public sealed record DocumentKernelInfo(string Name, string? LanguageName, IReadOnlyList<string> Aliases)
{
    /// <summary>The name and the aliases.</summary>
    public IEnumerable<string> Names => Aliases.Prepend(Name);
}

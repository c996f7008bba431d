namespace Workbench.Notebooks.Languages;

/// <summary>
/// The identity of a language kernel. <see cref="Name"/> is what a cell writes after <c>#!</c> (and what notebook
/// metadata stores as the cell's kernel name); <see cref="Aliases"/> are other spellings .NET Interactive accepts.
/// </summary>
/// <param name="Name">The kernel name: "csharp", "fsharp", "python", "markdown", …</param>
/// <param name="Aliases">Other magic names for the same kernel ("c#", "C#").</param>
/// <param name="LanguageName">The language as Jupyter's language_info and Polyglot metadata name it ("C#", "F#", "python").</param>
/// <param name="LanguageVersion">The language version, when known.</param>
/// <param name="Description">One line for <c>#!lsmagic</c>.</param>
public sealed record LanguageKernelInfo(string Name, IReadOnlyList<string> Aliases, string LanguageName, string? LanguageVersion, string Description)
{
    /// <summary>True when <paramref name="magic"/> (without "#!") names this kernel.</summary>
    public bool IsNamed(string magic) =>
        string.Equals(magic, Name, StringComparison.OrdinalIgnoreCase) || Aliases.Any(a => string.Equals(a, magic, StringComparison.OrdinalIgnoreCase));
}

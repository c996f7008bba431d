namespace Workbench.Notebooks.Magics;

/// <summary>
/// A magic command of a polyglot session (<c>#!set</c>, <c>#!who</c>, <c>#!time</c>, …), with the help text that
/// <c>#!lsmagic</c> and <c>#!name --help</c> show.
/// </summary>
public abstract class MagicCommand
{
    /// <summary>The name a cell writes after "#!".</summary>
    public abstract string Name { get; }

    /// <summary>Other names for the same command.</summary>
    public virtual IReadOnlyList<string> Aliases => Array.Empty<string>();

    /// <summary>One line for <c>#!lsmagic</c>.</summary>
    public abstract string Summary { get; }

    /// <summary>The usage lines that <c>#!name --help</c> shows (options and their meaning).</summary>
    public abstract string Usage { get; }

    /// <summary>Runs the magic where it stands in the cell.</summary>
    public abstract Task RunAsync(MagicContext context);

    /// <summary>True when <paramref name="name"/> names this command.</summary>
    public bool IsNamed(string name) => Name == name || Aliases.Contains(name);
}

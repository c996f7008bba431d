namespace Workbench.Notebooks.Magics;

/// <summary>A magic that cannot run as written; the message names the magic and what is wrong, <see cref="Line"/> where.</summary>
public sealed class MagicException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MagicException(string message, int line, Exception? inner = null) : base(message, inner) => Line = line;

    /// <summary>The 1-based line of the cell.</summary>
    public int Line { get; }
}

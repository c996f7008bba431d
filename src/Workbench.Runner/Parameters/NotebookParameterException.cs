namespace Workbench.Runner.Parameters;

/// <summary>A parameter override that cannot be applied: unknown name, a value that does not parse as the declared type, …</summary>
public sealed class NotebookParameterException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NotebookParameterException(string message) : base(message) { }
}

namespace Workbench.Notebooks.Languages;

/// <summary>A value that cannot be read from, or given to, a kernel; the message names the variable, kernel and reason.</summary>
public sealed class ValueSharingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ValueSharingException(string message, Exception? inner = null) : base(message, inner) { }
}

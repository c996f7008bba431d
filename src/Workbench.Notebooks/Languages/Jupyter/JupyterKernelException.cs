namespace Workbench.Notebooks.Languages.Jupyter;

/// <summary>A Jupyter kernel could not start: no kernelspec (the message names it and where it looked), or the process failed.</summary>
public sealed class JupyterKernelException : Exception
{
    /// <summary>Creates the error.</summary>
    public JupyterKernelException(string message, Exception? inner = null) : base(message, inner) { }
}

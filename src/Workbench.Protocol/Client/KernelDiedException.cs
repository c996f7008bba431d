namespace Workbench.Protocol.Client;

/// <summary>The kernel process exited (or stopped answering heartbeats) while a request waited for it.</summary>
public sealed class KernelDiedException : Exception
{
    /// <summary>Creates the error.</summary>
    public KernelDiedException(string message, int? exitCode) : base(message) => ExitCode = exitCode;

    /// <summary>The process's exit code, when it exited.</summary>
    public int? ExitCode { get; }
}

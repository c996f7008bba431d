namespace Workbench.Notebooks.Execution;

/// <summary>One cell's run as the interrupt checks see it: its token, and the flag the checks read.</summary>
internal sealed class CellRun : IDisposable
{
    private readonly CancellationTokenRegistration _registration;
    private volatile bool _stopped;

    public CellRun(CancellationToken token)
    {
        Token = token;
        _registration = token.Register(() => _stopped = true);
    }

    public CancellationToken Token { get; }

    /// <summary>Set once the cell is interrupted; a field rather than the token's state, so that a check is one read.</summary>
    public bool Stopped => _stopped;

    /// <summary>The thread the cell's code starts on.</summary>
    public Thread? Thread { get; set; }

    /// <summary>Whether an exception thrown on the calling thread reaches the cell (or a task), not the process.</summary>
    public bool MayStopHere()
    {
        var current = System.Threading.Thread.CurrentThread;
        return current == Thread || current.IsThreadPoolThread;
    }

    /// <summary>Called when the cell's code has ended.</summary>
    public void Dispose() => _registration.Dispose();
}

namespace Workbench.Notebooks.Execution;

/// <summary>One cell's run as the interrupt checks see it: its token, raised once in the process-wide count.</summary>
internal sealed class CellRun : IDisposable
{
    private readonly CancellationTokenRegistration _registration;
    private int _raised;
    private int _lowered;

    public CellRun(CancellationToken token)
    {
        Token = token;
        _registration = token.Register(() =>
        {
            if (Interlocked.Exchange(ref _raised, 1) == 0) CellInterrupt.Raise();
        });
    }

    public CancellationToken Token { get; }

    /// <summary>The thread the cell's code starts on.</summary>
    public Thread? Thread { get; set; }

    /// <summary>Whether an exception thrown on the calling thread reaches the cell (or a task), not the process.</summary>
    public bool MayStopHere()
    {
        var current = System.Threading.Thread.CurrentThread;
        return current == Thread || current.IsThreadPoolThread;
    }

    /// <summary>Called when the cell's code has finished: its checks no longer need the slow path.</summary>
    public void Dispose()
    {
        _registration.Dispose();
        if (Volatile.Read(ref _raised) == 1 && Interlocked.Exchange(ref _lowered, 1) == 0) CellInterrupt.Lower();
    }
}

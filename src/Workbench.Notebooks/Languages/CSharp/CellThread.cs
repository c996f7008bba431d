using Workbench.Notebooks.Execution;

namespace Workbench.Notebooks.Languages.CSharp;

/// <summary>
/// The thread a C# submission starts on: its synchronous part (all of it, for a cell without <c>await</c>) runs here
/// rather than on a pool thread, so an interrupt may wake it with <see cref="Thread.Interrupt"/> from a wait the
/// rewrite could not give a token (<c>Join</c>, <c>Monitor.Wait</c>, <c>Task.Result</c>, …). That is safe because the
/// thread runs nothing but the cell and ends with it: an interrupt it has not yet seen dies with it, and never reaches
/// code of the kernel or of the pool.
/// </summary>
internal sealed class CellThread
{
    // Deep recursion is common in notebooks; the stack is reserved, not committed.
    private const int StackSize = 16 * 1024 * 1024;
    private readonly object _lock = new();
    private Thread? _thread;

    /// <summary>Runs <paramref name="start"/> on a new thread as <paramref name="run"/>'s code; completes with the task it returns.</summary>
    public Task<T> Run<T>(Func<Task<T>> start, CellRun run)
    {
        var started = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            CellInterrupt.Enter(run);
            try { started.SetResult(start()); }
            catch (Exception e) { started.SetException(e); }
        }, StackSize) { IsBackground = true, Name = "C# cell" };
        run.Thread = thread;
        lock (_lock) _thread = thread;
        thread.Start();
        return started.Task.Unwrap();
    }

    /// <summary>Wakes the thread with <see cref="ThreadInterruptedException"/> if it is blocked in a managed wait now.</summary>
    public void InterruptIfWaiting()
    {
        lock (_lock)
        {
            if (_thread is { IsAlive: true } t && (t.ThreadState & ThreadState.WaitSleepJoin) != 0) t.Interrupt();
        }
    }

    /// <summary>What the thread is doing, for the message of a cell that did not stop.</summary>
    public string Describe()
    {
        lock (_lock)
        {
            if (_thread is not { IsAlive: true } t)
                return "its code continues outside the cell's thread (after an await, or in a thread or task it started)";
            return (t.ThreadState & ThreadState.WaitSleepJoin) != 0
                ? "it is blocked in a wait that ignores the interrupt"
                : "it is running code the kernel cannot interrupt (native code, a blocking read, or a library call)";
        }
    }
}

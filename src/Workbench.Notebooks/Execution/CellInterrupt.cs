using System.ComponentModel;

namespace Workbench.Notebooks.Execution;

/// <summary>
/// What C# cells call, after the engine's rewrite, at every loop back-edge and in place of blocking calls, so that an
/// interrupt stops the cell's own code and not only the kernel's wait for it. Not for cells to call directly.
/// </summary>
/// <remarks>
/// The checks at loop back-edges read a static flag of the session's own (see CancellationRewriter); what is here are
/// the blocking calls' cancellable forms. Their token is the cell's where an exception has somewhere to go: on the cell's
/// own thread and on pool threads (tasks, awaits, <c>Parallel</c>). The thread-static that holds it follows the cell's
/// <see cref="AsyncLocal{T}"/> through its awaits, tasks and threads (the AsyncLocal's change handler sets it whenever
/// a thread takes up or leaves the cell's context).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CellInterrupt
{
    [ThreadStatic] private static CellRun? _stoppable;
    private static readonly AsyncLocal<CellRun?> Running = new(OnRunChanged);

    /// <summary>The running cell's interrupt token where the cell's code may be stopped by it (none elsewhere).</summary>
    public static CancellationToken Token => _stoppable?.Token ?? CancellationToken.None;

    /// <summary>A thread's start that ends the thread quietly when an interrupt check stops it.</summary>
    public static ThreadStart Guard(ThreadStart start) => () =>
    {
        try { start(); }
        catch (OperationCanceledException) { }
    };

    /// <summary>A thread's start that ends the thread quietly when an interrupt check stops it.</summary>
    public static ParameterizedThreadStart Guard(ParameterizedThreadStart start) => state =>
    {
        try { start(state); }
        catch (OperationCanceledException) { }
    };

    /// <summary><see cref="Thread.Sleep(int)"/> that an interrupt wakes.</summary>
    public static void Sleep(int millisecondsTimeout)
    {
        var token = Token;
        if (millisecondsTimeout == 0 || !token.CanBeCanceled) Thread.Sleep(millisecondsTimeout);
        else token.WaitHandle.WaitOne(millisecondsTimeout);
        token.ThrowIfCancellationRequested();
    }

    /// <summary><see cref="Thread.Sleep(TimeSpan)"/> that an interrupt wakes.</summary>
    public static void Sleep(TimeSpan timeout) => Sleep((int)timeout.TotalMilliseconds);

    /// <summary><see cref="Task.Delay(int)"/> cancelled by an interrupt.</summary>
    public static Task Delay(int millisecondsDelay) => Task.Delay(millisecondsDelay, Token);

    /// <summary><see cref="Task.Delay(TimeSpan)"/> cancelled by an interrupt.</summary>
    public static Task Delay(TimeSpan delay) => Task.Delay(delay, Token);

    /// <summary><see cref="Task.Wait()"/> that an interrupt ends.</summary>
    public static void Wait(Task task) => task.Wait(Token);

    /// <summary><see cref="Task.Wait(int)"/> that an interrupt ends.</summary>
    public static bool Wait(Task task, int millisecondsTimeout) => task.Wait(millisecondsTimeout, Token);

    /// <summary><see cref="Task.Wait(TimeSpan)"/> that an interrupt ends.</summary>
    public static bool Wait(Task task, TimeSpan timeout) => task.Wait((int)timeout.TotalMilliseconds, Token);

    /// <summary><see cref="SemaphoreSlim.Wait()"/> that an interrupt ends.</summary>
    public static void Wait(SemaphoreSlim semaphore) => semaphore.Wait(Token);

    /// <summary><see cref="SemaphoreSlim.Wait(int)"/> that an interrupt ends.</summary>
    public static bool Wait(SemaphoreSlim semaphore, int millisecondsTimeout) => semaphore.Wait(millisecondsTimeout, Token);

    /// <summary><see cref="SemaphoreSlim.Wait(TimeSpan)"/> that an interrupt ends.</summary>
    public static bool Wait(SemaphoreSlim semaphore, TimeSpan timeout) => semaphore.Wait(timeout, Token);

    /// <summary><see cref="ManualResetEventSlim.Wait()"/> that an interrupt ends.</summary>
    public static void Wait(ManualResetEventSlim handle) => handle.Wait(Token);

    /// <summary><see cref="ManualResetEventSlim.Wait(int)"/> that an interrupt ends.</summary>
    public static bool Wait(ManualResetEventSlim handle, int millisecondsTimeout) => handle.Wait(millisecondsTimeout, Token);

    /// <summary><see cref="ManualResetEventSlim.Wait(TimeSpan)"/> that an interrupt ends.</summary>
    public static bool Wait(ManualResetEventSlim handle, TimeSpan timeout) => handle.Wait(timeout, Token);

    /// <summary><see cref="Task{TResult}.Result"/> that an interrupt ends.</summary>
    public static T Result<T>(Task<T> task)
    {
        task.Wait(Token);
        return task.Result;
    }

    private static void OnRunChanged(AsyncLocalValueChangedArgs<CellRun?> change) =>
        _stoppable = change.CurrentValue is { } run && run.MayStopHere() ? run : null;

    /// <summary>Marks the code that runs on this logical call context from now on as the cell's.</summary>
    internal static void Enter(CellRun run) => Running.Value = run;
}

using System.Runtime.ExceptionServices;

namespace Workbench.Recurrent;

/// <summary>Work with two independent halves, run side by side by <see cref="DirectionPair.Run"/>.</summary>
internal interface IDirectionPairWork
{
    /// <summary>Runs half <paramref name="direction"/> (0 or 1).</summary>
    void RunDirection(int direction);
}

/// <summary>
/// Runs the two directions of a bidirectional layer at once: direction 0 on the caller, direction 1 on one
/// persistent helper thread. Each half is a fixed piece of work whatever thread runs it, so results do not depend
/// on whether the halves ran together; no heap allocation per call once the helper exists.
/// </summary>
internal static class DirectionPair
{
    private static readonly Lock Gate = new();
    private static readonly SemaphoreSlim Start = new(0), Done = new(0);
    private static Thread? helper;
    private static IDirectionPairWork? job;
    private static ExceptionDispatchInfo? failure;

    /// <summary>Runs both halves and returns when both have finished; rethrows the first failure.</summary>
    public static void Run(IDirectionPairWork work)
    {
        // Another layer on another thread holds the helper: run both halves here, in order.
        if (!Gate.TryEnter())
        {
            work.RunDirection(0);
            work.RunDirection(1);
            return;
        }
        try
        {
            EnsureHelper();
            job = work;
            failure = null;
            Start.Release();
            ExceptionDispatchInfo? own = null;
            try
            {
                work.RunDirection(0);
            }
            catch (Exception e)
            {
                own = ExceptionDispatchInfo.Capture(e);
            }
            Done.Wait();
            job = null;
            (own ?? failure)?.Throw();
        }
        finally
        {
            failure = null;
            Gate.Exit();
        }
    }

    private static void EnsureHelper()
    {
        if (helper is not null) return;
        helper = new Thread(Loop) { IsBackground = true, Name = "Workbench recurrent direction 1" };
        helper.Start();
    }

    private static void Loop()
    {
        while (true)
        {
            Start.Wait();
            try
            {
                job!.RunDirection(1);
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                Done.Release();
            }
        }
    }
}

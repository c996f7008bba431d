namespace Workbench.Kernel.Hosting;

/// <summary>
/// jupyter_client names its own pid in JPY_PARENT_PID: when that process dies without a shutdown (nbconvert killed,
/// say), the kernel must go too, or it is orphaned with its sockets bound.
/// </summary>
internal static class ParentProcessWatch
{
    /// <summary>Checks once a second until <paramref name="stopping"/>; calls <paramref name="gone"/> when the parent has exited.</summary>
    public static void Start(CancellationToken stopping, Action<int> gone)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var pid) || pid <= 1) return;
        var t = new Thread(() =>
        {
            while (!stopping.WaitHandle.WaitOne(TimeSpan.FromSeconds(1)))
            {
                if (!IsAlive(pid)) gone(pid);
            }
        }) { IsBackground = true, Name = "parent-watch" };
        t.Start();
    }

    private static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}

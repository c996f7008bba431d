namespace Workbench.Notebooks.Directives;

/// <summary>Per-session scratch folders under the temp folder, and the sweep of those left by killed processes.</summary>
internal static class TempFolders
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(2);

    /// <summary>A new folder <c>TEMP/group/random</c>; older siblings (from sessions that were killed) are removed.</summary>
    public static string Create(string group)
    {
        var root = Path.Combine(Path.GetTempPath(), group);
        Sweep(root);
        return Path.Combine(root, Guid.NewGuid().ToString("N"));
    }

    private static void Sweep(string root)
    {
        try
        {
            if (!Directory.Exists(root)) return;
            foreach (var dir in Directory.GetDirectories(root))
                if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(dir) > MaxAge) Directory.Delete(dir, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

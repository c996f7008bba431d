namespace Workbench.Kernel.History;

/// <summary>
/// Where the kernel keeps <c>history.sqlite</c>: <c>$WORKBENCH_HISTORY_DIR</c> when set (tests point it at a folder of
/// their own), else the XDG data folder, <c>$XDG_DATA_HOME/workbench</c> or <c>~/.local/share/workbench</c>.
/// </summary>
internal static class HistoryLocation
{
    /// <summary>The variable that overrides the folder.</summary>
    public const string Variable = "WORKBENCH_HISTORY_DIR";

    /// <summary>The store's file name, as IPython names its own.</summary>
    public const string FileName = "history.sqlite";

    /// <summary>The full path of the store for this process's environment.</summary>
    public static string DefaultFile() => DefaultFile(Environment.GetEnvironmentVariable);

    /// <summary>The full path of the store for the environment <paramref name="variable"/> reads.</summary>
    public static string DefaultFile(Func<string, string?> variable)
    {
        if (variable(Variable) is { Length: > 0 } folder) return Path.Combine(Path.GetFullPath(folder), FileName);
        // XDG: a relative XDG_DATA_HOME is invalid and ignored.
        var data = variable("XDG_DATA_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(data, "workbench", FileName);
    }
}

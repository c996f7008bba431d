namespace Workbench.Protocol.Client;

/// <summary>
/// The data directories Jupyter searches for kernelspecs, in jupyter_client's order: each entry of JUPYTER_PATH,
/// then the user's data directory (JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter),
/// then the system directories /usr/local/share/jupyter and /usr/share/jupyter.
/// </summary>
public static class JupyterPaths
{
    /// <summary>The data directories, first match wins.</summary>
    public static IReadOnlyList<string> DataDirectories()
    {
        var dirs = new List<string>();
        var jupyterPath = Environment.GetEnvironmentVariable("JUPYTER_PATH");
        if (!string.IsNullOrEmpty(jupyterPath))
            dirs.AddRange(jupyterPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        dirs.Add(UserDataDirectory());
        dirs.Add("/usr/local/share/jupyter");
        dirs.Add("/usr/share/jupyter");
        return dirs.Distinct().ToList();
    }

    /// <summary>The user's Jupyter data directory.</summary>
    public static string UserDataDirectory()
    {
        var explicitDir = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        if (!string.IsNullOrEmpty(explicitDir)) return explicitDir;
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (!string.IsNullOrEmpty(xdg)) return Path.Combine(xdg, "jupyter");
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "jupyter");
    }

    /// <summary>The kernelspec folders searched, one per data directory (data directory + "/kernels").</summary>
    public static IReadOnlyList<string> KernelDirectories() => DataDirectories().Select(d => Path.Combine(d, "kernels")).ToList();
}

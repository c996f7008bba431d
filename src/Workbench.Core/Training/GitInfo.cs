using System.Diagnostics;

namespace Workbench.Training;

/// <summary>The git commit a run was made from, when the working directory is inside a repository and git is installed.</summary>
public static class GitInfo
{
    /// <summary>The HEAD commit hash of the repository containing <paramref name="directory"/> (default: the current directory), or null.</summary>
    public static string? TryGetCommit(string? directory = null)
    {
        try
        {
            var start = new ProcessStartInfo("git", ["rev-parse", "HEAD"])
            {
                WorkingDirectory = directory ?? Directory.GetCurrentDirectory(),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null) return null;
            string output = process.StandardOutput.ReadToEnd().Trim();
            if (!process.WaitForExit(5000)) { process.Kill(); return null; }
            return process.ExitCode == 0 && output.Length >= 7 ? output : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}

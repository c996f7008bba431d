using System.Text.RegularExpressions;
using Workbench.Kernel.Tests.Integration;

namespace Workbench.Kernel.Tests.Oracle;

/// <summary>
/// The official .NET Interactive kernel (Microsoft.dotnet-interactive 1.0.712001), the reference the oracle tests
/// compare against. scripts/test.sh runs scripts/install-official-kernel.sh and exports
/// DOTNET_INTERACTIVE_JUPYTER_PATH (the JUPYTER_PATH entry holding its kernelspecs), or, when the tool could not be
/// installed, DOTNET_INTERACTIVE_UNAVAILABLE with the reason. Run directly (dotnet test), the tests run the script
/// themselves.
/// </summary>
internal static class OfficialKernel
{
    public const string Version = "1.0.712001";
    public const string KernelName = ".net-csharp";

    private static readonly Lazy<(string? JupyterPath, string? Unavailable)> Located = new(Locate);

    /// <summary>The JUPYTER_PATH entry with the .net-csharp kernelspec, or null when the tool is unavailable.</summary>
    public static string? JupyterPath => Located.Value.JupyterPath;

    /// <summary>Why the official kernel cannot be used, or null when it can.</summary>
    public static string? Unavailable => Located.Value.Unavailable;

    private static (string?, string?) Locate()
    {
        var given = Environment.GetEnvironmentVariable("DOTNET_INTERACTIVE_JUPYTER_PATH");
        if (!string.IsNullOrEmpty(given))
        {
            var spec = Path.Combine(given, "kernels", KernelName, "kernel.json");
            return File.Exists(spec) ? (given, null)
                : throw new InvalidOperationException($"DOTNET_INTERACTIVE_JUPYTER_PATH={given} has no {spec}.");
        }
        var reason = Environment.GetEnvironmentVariable("DOTNET_INTERACTIVE_UNAVAILABLE");
        if (!string.IsNullOrEmpty(reason)) return (null, reason);

        var script = Path.Combine(RepositoryRoot(), "scripts", "install-official-kernel.sh");
        var (exit, stdout, stderr) = ExternalProcess.Run("bash", new[] { script }, RepositoryRoot(), timeout: TimeSpan.FromMinutes(10));
        if (exit != 0) return (null, $"scripts/install-official-kernel.sh failed ({exit}): {stderr.Trim()}");
        var path = Regex.Match(stdout, "^DOTNET_INTERACTIVE_JUPYTER_PATH=(.+)$", RegexOptions.Multiline).Groups[1].Value.Trim();
        return path.Length > 0 ? (path, null) : throw new InvalidOperationException($"install-official-kernel.sh printed no path: {stdout}");
    }

    /// <summary>The folder holding Workbench.sln, above the test's output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Workbench.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A theory that is skipped, with the reason, only when the official kernel could not be installed.</summary>
public sealed class OfficialKernelTheoryAttribute : TheoryAttribute
{
    public OfficialKernelTheoryAttribute()
    {
        if (OfficialKernel.Unavailable is { } reason)
            Skip = $"the official dotnet-interactive {OfficialKernel.Version} is not installed: {reason}";
    }
}

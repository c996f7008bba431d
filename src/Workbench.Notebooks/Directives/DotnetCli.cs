using System.Diagnostics;
using System.Text;

namespace Workbench.Notebooks.Directives;

/// <summary>Runs the dotnet CLI for restores and builds, in a clean environment and without lingering build servers.</summary>
internal static class DotnetCli
{
    /// <summary>The dotnet host: DOTNET_HOST_PATH, else the one whose shared runtime runs this process, else PATH.</summary>
    public static string HostPath
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv)) return fromEnv;
            // .../dotnet/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
            var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location);
            if (runtimeDir is not null)
            {
                var root = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
                var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
                if (File.Exists(candidate)) return candidate;
            }
            return "dotnet";
        }
    }

    /// <summary>Runs dotnet with <paramref name="args"/>; returns the exit code and the combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> args, string workingDirectory, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(HostPath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // A host started by 'dotnet test' or 'dotnet run' passes MSBuild settings that would confuse a child build.
        foreach (var key in psi.Environment.Keys.ToList())
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("MSBUILD", StringComparison.Ordinal)
                || key is "DOTNET_HOST_PATH" or "VSTEST_HOST_DEBUG" or "DOTNET_STARTUP_HOOKS")
                psi.Environment.Remove(key);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["UseSharedCompilation"] = "false";

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder sink)
    {
        string? line;
        while ((line = await reader.ReadLineAsync().ConfigureAwait(false)) is not null)
            lock (sink) sink.AppendLine(line);
    }

    /// <summary>The target framework moniker of the running runtime, e.g. net10.0.</summary>
    public static string TargetFramework => $"net{Environment.Version.Major}.{Environment.Version.Minor}";

    /// <summary>The error lines of a build or restore log (or its tail when none is marked as an error).</summary>
    public static string Summarize(string log)
    {
        var errors = log.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct().Take(5).ToList();
        if (errors.Count == 0) errors = log.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(5).ToList();
        return string.Join("; ", errors);
    }
}

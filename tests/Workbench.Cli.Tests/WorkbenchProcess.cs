using System.Diagnostics;

namespace Workbench.Cli.Tests;

/// <summary>Runs the built <c>workbench</c> as a child process (so console output and Ctrl+C behave as for a user).</summary>
internal static class WorkbenchProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>The built <c>workbench</c> apphost (absent on platforms that have none: then <c>dotnet workbench.dll</c>).</summary>
    public static string Apphost => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "workbench.exe" : "workbench");

    public static Process Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        string apphost = Apphost;
        var start = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "workbench.dll") } };
        foreach (string a in args) start.ArgumentList.Add(a);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        if (environment is not null) foreach (var (k, v) in environment) start.Environment[k] = v;
        return Process.Start(start)!;
    }

    public static Result Run(IEnumerable<string> args, IDictionary<string, string>? environment = null, int timeoutSeconds = 120, string? workingDirectory = null)
    {
        using var process = Start(args, environment, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"workbench {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}

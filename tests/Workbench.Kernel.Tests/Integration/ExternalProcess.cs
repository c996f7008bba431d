using System.Diagnostics;
using System.Text;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>Runs a child process with a deadline; the whole process tree is killed if it is still running at the end.</summary>
internal static class ExternalProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string file, IEnumerable<string> args, string workingDirectory,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PYDEVD_DISABLE_FILE_VALIDATION"] = "1";
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        p.Start();
        try
        {
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(120)))
                throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time; stderr: {stderr}");
            p.WaitForExit();
            lock (stdout) lock (stderr) return (p.ExitCode, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            if (!p.HasExited)
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            }
        }
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Workbench.Cli.Commands;

/// <summary>
/// The <c>kernel</c> and <c>notebook</c> verbs. They are parsed here, with the notebook host's own command tree, and
/// then run by the host process (workbench-host), which never references Workbench.Core: a notebook's cells must
/// load the core the notebook names (a project, a dll, a package), not the copy this CLI was built with.
/// </summary>
internal static class HostCommands
{
    private const string HostAssembly = "workbench-host.dll";

    /// <summary>The host's verbs, each leaf handing the whole command line to the host.</summary>
    public static IEnumerable<Command> Create()
    {
        foreach (var verb in Workbench.Host.Program.BuildRoot().Subcommands)
        {
            Delegate(verb);
            yield return verb;
        }
    }

    private static void Delegate(Command command)
    {
        if (command.Subcommands.Count == 0) command.SetAction(_ => Run(Environment.GetCommandLineArgs()[1..]));
        foreach (var sub in command.Subcommands) Delegate(sub);
    }

    /// <summary>
    /// Replaces this process with <c>dotnet exec workbench-host.dll ARGS</c> (same pid, so Jupyter's signals and
    /// JPY_PARENT_PID still name the kernel), or, where that is not possible, runs the host as a child and returns
    /// its exit code.
    /// </summary>
    private static int Run(string[] args)
    {
        var host = Path.Combine(AppContext.BaseDirectory, HostAssembly);
        if (!File.Exists(host) || !File.Exists(Path.ChangeExtension(host, ".runtimeconfig.json")))
        {
            Console.Error.WriteLine($"workbench: the notebook host is missing ({host} and its runtimeconfig.json): rebuild the workbench");
            return 1;
        }
        var dotnet = DotnetHost();
        if (dotnet is null)
        {
            Console.Error.WriteLine("workbench: cannot find the dotnet executable to start the notebook host (set DOTNET_ROOT)");
            return 1;
        }
        var argv = new List<string> { dotnet, "exec", host };
        argv.AddRange(args);
        Console.Out.Flush();
        Console.Error.Flush();
        if (!OperatingSystem.IsWindows())
        {
            execve(dotnet, argv.Append(null).ToArray(), Environment.GetEnvironmentVariables().Keys.Cast<string>()
                .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").Append(null).ToArray());
            // execve returns only when it failed: fall back to a child process.
        }
        var psi = new ProcessStartInfo(dotnet) { UseShellExecute = false };
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a);
        using var child = Process.Start(psi)!;
        Console.CancelKeyPress += (_, e) => e.Cancel = true; // the child gets the same Ctrl+C and decides
        child.WaitForExit();
        return child.ExitCode;
    }

    private static string? DotnetHost()
    {
        if (Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return p;
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root) candidates.Add(Path.Combine(root, "dotnet"));
        // The shared framework lives at <root>/shared/Microsoft.NETCore.App/<version>/.
        if (Path.GetDirectoryName(typeof(object).Assembly.Location) is { } runtime)
            candidates.Add(Path.GetFullPath(Path.Combine(runtime, "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet")));
        return candidates.FirstOrDefault(File.Exists);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int execve(string path, string?[] argv, string?[] envp);
}

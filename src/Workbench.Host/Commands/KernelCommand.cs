using System.CommandLine;
using Workbench.Kernel.Hosting;
using Workbench.Kernel.Protocol;
using Workbench.Notebooks.Execution;

namespace Workbench.Host.Commands;

/// <summary>The <c>kernel</c> verb: run, install or uninstall the workbench-csharp Jupyter kernel.</summary>
internal static class KernelCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("kernel", "Run, install or uninstall the workbench-csharp Jupyter kernel.");
        command.Subcommands.Add(CreateRun());
        command.Subcommands.Add(CreateInstall());
        command.Subcommands.Add(CreateUninstall());
        return command;
    }

    private static Command CreateRun()
    {
        var file = new Option<FileInfo>("--connection-file", "-f") { Description = "The Jupyter connection file (kernel.json's {connection_file}).", Required = true };
        var run = new Command("run", "Serve Jupyter messages on the sockets of a connection file (what the kernelspec starts).");
        run.Options.Add(file);
        run.SetAction(parseResult =>
        {
            var path = parseResult.GetValue(file)!.FullName;
            ConnectionInfo connection;
            try
            {
                connection = ConnectionInfo.Load(path);
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                Console.Error.WriteLine($"workbench kernel run: {e.Message}");
                return 1;
            }
            using var server = new KernelServer(connection, new NotebookSessionOptions { WorkingDirectory = Environment.CurrentDirectory });
            try
            {
                return server.Run();
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"workbench kernel run: {e.Message}");
                return 1;
            }
        });
        return run;
    }

    private static (Option<bool> User, Option<DirectoryInfo> Prefix) LocationOptions(Command command)
    {
        var user = new Option<bool>("--user") { Description = "The user's Jupyter data folder (the default)." };
        var prefix = new Option<DirectoryInfo>("--prefix") { Description = "Install under PREFIX/share/jupyter/kernels (e.g. a virtual environment or a test folder)." };
        command.Options.Add(user);
        command.Options.Add(prefix);
        return (user, prefix);
    }

    private static Command CreateInstall()
    {
        var install = new Command("install", "Install the workbench-csharp kernelspec (kernel.json with this executable's absolute path, and logos).");
        var (user, prefix) = LocationOptions(install);
        install.SetAction(parseResult =>
        {
            var p = parseResult.GetValue(prefix)?.FullName;
            if (p is not null && parseResult.GetValue(user))
            {
                Console.Error.WriteLine("workbench kernel install: choose --user or --prefix, not both");
                return Program.UsageError;
            }
            var folder = KernelSpecInstaller.Install(KernelSpecInstaller.CurrentCommand(), p);
            Console.WriteLine($"Installed kernelspec {KernelSpecInstaller.KernelName} in {folder}");
            return 0;
        });
        return install;
    }

    private static Command CreateUninstall()
    {
        var uninstall = new Command("uninstall", "Remove the workbench-csharp kernelspec.");
        var (user, prefix) = LocationOptions(uninstall);
        uninstall.SetAction(parseResult =>
        {
            var p = parseResult.GetValue(prefix)?.FullName;
            if (p is not null && parseResult.GetValue(user))
            {
                Console.Error.WriteLine("workbench kernel uninstall: choose --user or --prefix, not both");
                return Program.UsageError;
            }
            if (!KernelSpecInstaller.Uninstall(p))
            {
                Console.Error.WriteLine($"workbench kernel uninstall: {KernelSpecInstaller.KernelName} is not installed in {KernelSpecInstaller.KernelsDirectory(p)}");
                return 1;
            }
            Console.WriteLine($"Removed kernelspec {KernelSpecInstaller.KernelName} from {KernelSpecInstaller.KernelsDirectory(p)}");
            return 0;
        });
        return uninstall;
    }
}

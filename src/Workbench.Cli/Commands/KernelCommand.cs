using System.CommandLine;

namespace Workbench.Cli.Commands;

/// <summary>The <c>kernel</c> verb.</summary>
internal static class KernelCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("kernel", "Run, install or uninstall the workbench-csharp Jupyter kernel.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("workbench kernel: not implemented yet");
            return 1;
        });
        return command;
    }
}

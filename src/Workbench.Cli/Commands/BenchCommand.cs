using System.CommandLine;

namespace Workbench.Cli.Commands;

/// <summary>The <c>bench</c> verb.</summary>
internal static class BenchCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("bench", "Benchmark training and inference speed.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("workbench bench: not implemented yet");
            return 1;
        });
        return command;
    }
}

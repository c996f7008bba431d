using System.CommandLine;

namespace Workbench.Cli.Commands;

/// <summary>The <c>demo</c> verb.</summary>
internal static class DemoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("demo", "A short training demo on the shipped text that prints the loss falling.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("workbench demo: not implemented yet");
            return 1;
        });
        return command;
    }
}

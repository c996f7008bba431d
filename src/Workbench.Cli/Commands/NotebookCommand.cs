using System.CommandLine;

namespace Workbench.Cli.Commands;

/// <summary>The <c>notebook</c> verb.</summary>
internal static class NotebookCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("notebook", "Run or export .ipynb notebooks headlessly.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("workbench notebook: not implemented yet");
            return 1;
        });
        return command;
    }
}

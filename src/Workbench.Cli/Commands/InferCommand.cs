using System.CommandLine;

namespace Workbench.Cli.Commands;

/// <summary>The <c>infer</c> verb.</summary>
internal static class InferCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("infer", "Run a saved recurrent model on tensors from a safetensors file.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("workbench infer: not implemented yet");
            return 1;
        });
        return command;
    }
}

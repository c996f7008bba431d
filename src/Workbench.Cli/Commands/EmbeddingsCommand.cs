using System.CommandLine;

namespace Workbench.Cli.Commands;

/// <summary>The <c>embeddings</c> verb.</summary>
internal static class EmbeddingsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("embeddings", "Train, evaluate and query word vectors.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("workbench embeddings: not implemented yet");
            return 1;
        });
        return command;
    }
}

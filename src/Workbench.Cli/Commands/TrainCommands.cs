using System.CommandLine;

namespace Workbench.Cli.Commands;

/// <summary>The training verbs: <c>train</c>, <c>sample</c>, <c>sweep</c>, <c>runs</c>.</summary>
internal static class TrainCommands
{
    /// <summary>Creates <c>train</c>.</summary>
    public static Command CreateTrain() => Stub("train", "Train a recurrent model on a shipped task or a corpus.");

    /// <summary>Creates <c>sample</c>.</summary>
    public static Command CreateSample() => Stub("sample", "Sample text from a trained character-level language model.");

    /// <summary>Creates <c>sweep</c>.</summary>
    public static Command CreateSweep() => Stub("sweep", "Run a grid of training configurations.");

    /// <summary>Creates <c>runs</c>.</summary>
    public static Command CreateRuns() => Stub("runs", "Tabulate run folders and their final metrics.");

    private static Command Stub(string verb, string description)
    {
        var command = new Command(verb, description);
        command.SetAction(_ =>
        {
            Console.Error.WriteLine($"workbench {verb}: not implemented yet");
            return 1;
        });
        return command;
    }
}

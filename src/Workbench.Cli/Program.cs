using Workbench.CommandLine;
using System.CommandLine;
using Workbench.Cli.Commands;
using Workbench.Host;

namespace Workbench.Cli;

/// <summary>Entry point of the <c>workbench</c> command: each verb lives in its own file under Commands/.</summary>
public static class Program
{
    /// <summary>Exit code for bad arguments (a usage error), for every verb.</summary>
    public const int UsageError = Usage.ExitCode;

    /// <summary>Builds the whole command tree (also used by tests to run verbs in-process).</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Workbench: recurrent networks and word embeddings in C#.");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(TrainCommands.CreateTrain());
        root.Subcommands.Add(TrainCommands.CreateSample());
        root.Subcommands.Add(TrainCommands.CreateSweep());
        root.Subcommands.Add(TrainCommands.CreateRuns());
        root.Subcommands.Add(InferCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(EmbeddingsCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        foreach (var verb in HostCommands.Create()) root.Subcommands.Add(verb);
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    /// <summary>Parses and runs; a parse error is one line on stderr and exit code 2.</summary>
    public static int Main(string[] args) => VerbErrors.Run(BuildRoot(), args, IsBadInput);

    // Beyond the host's list: the core's own exceptions for malformed files and data.
    private static bool IsBadInput(Exception e) => e is Checkpoints.SafetensorsException or Embeddings.WordVectorsFormatException
        or Data.DataFormatException or Onnx.OnnxFormatException;
}

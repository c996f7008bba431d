using System.CommandLine;
using Workbench.Cli.Commands;

namespace Workbench.Cli;

/// <summary>Entry point of the <c>workbench</c> command: each verb lives in its own file under Commands/.</summary>
public static class Program
{
    /// <summary>Exit code for bad arguments (a usage error): 2, as getopt-style tools and Python's argparse exit.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Verbs that host notebook code re-execute the process without the CLI's own Workbench.Core (see
    /// HostIsolation): after that restart the core cannot load, so they are parsed by a tree that never touches it.
    /// </summary>
    private static readonly HashSet<string> HostVerbs = new(StringComparer.Ordinal) { "kernel", "notebook" };

    /// <summary>Builds the whole command tree (also used by tests to run verbs in-process).</summary>
    public static RootCommand BuildRoot() => BuildRoot(includeCoreVerbs: true);

    private static RootCommand BuildRoot(bool includeCoreVerbs)
    {
        var root = new RootCommand("Workbench: recurrent networks and word embeddings in C#.");
        if (includeCoreVerbs)
        {
            root.Subcommands.Add(DemoCommand.Create());
            root.Subcommands.Add(TrainCommands.CreateTrain());
            root.Subcommands.Add(TrainCommands.CreateSample());
            root.Subcommands.Add(TrainCommands.CreateSweep());
            root.Subcommands.Add(TrainCommands.CreateRuns());
            root.Subcommands.Add(InferCommand.Create());
            root.Subcommands.Add(EmbeddingsCommand.Create());
        }
        root.Subcommands.Add(NotebookCommand.Create());
        root.Subcommands.Add(KernelCommand.Create());
        if (includeCoreVerbs) root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    /// <summary>Parses and runs; a parse error is one line on stderr and exit code 2.</summary>
    public static int Main(string[] args)
    {
        bool hostVerb = args.Length > 0 && HostVerbs.Contains(args[0]);
        ParseResult parsed = BuildRoot(includeCoreVerbs: !hostVerb).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, whatever the parser's message spans (AcceptOnlyFromAmong lists choices on several lines).
            string message = string.Join(' ', parsed.Errors[0].Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return Usage.Error(verb: null, $"{message} (see 'workbench --help')");
        }
        return parsed.Invoke();
    }
}

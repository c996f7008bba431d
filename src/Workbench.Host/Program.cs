using Workbench.CommandLine;
using System.CommandLine;
using Workbench.Host.Commands;

namespace Workbench.Host;

/// <summary>
/// Entry point of the notebook host: the <c>kernel</c> and <c>notebook</c> verbs, which <c>workbench</c> hands over to
/// this process (so they read the same whichever executable a user or a kernelspec starts).
/// </summary>
public static class Program
{
    /// <summary>Exit code for bad arguments, as every workbench verb uses.</summary>
    public const int UsageError = Usage.ExitCode;

    /// <summary>Builds the command tree of the host's verbs.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Workbench notebook host: the Jupyter kernel and the headless notebook runner.");
        root.Subcommands.Add(NotebookCommand.Create());
        root.Subcommands.Add(KernelCommand.Create());
        return root;
    }

    /// <summary>Parses and runs; a parse error is one line on stderr and exit code 2.</summary>
    public static int Main(string[] args) => VerbErrors.Run(BuildRoot(), args);
}

using System.CommandLine;

namespace Workbench.CommandLine;

/// <summary>
/// The one way a verb reports bad arguments: <c>workbench VERB: message</c> on one line of stderr and exit code
/// <see cref="ExitCode"/>, whether the parser or the verb found the problem. Linked into both executables (the CLI
/// and the notebook host) so that every verb reports the same way.
/// </summary>
internal static class Usage
{
    /// <summary>Exit code for bad arguments: 2, as getopt-style tools and Python's argparse exit.</summary>
    public const int ExitCode = 2;

    /// <summary>Prints "workbench VERB: message" (line breaks in the message become spaces) and returns exit code 2.</summary>
    /// <param name="verb">The verb as typed (<c>train</c>, <c>kernel install</c>), or null for the command itself.</param>
    /// <param name="message">What was wrong and where.</param>
    public static int Error(string? verb, string message)
    {
        return Host.VerbErrors.Report(verb, message);
    }

    /// <summary>Restricts an option to <paramref name="allowed"/> with a one-line error (the built-in check spans several lines).</summary>
    public static void OneOf(Option<string> option, params string[] allowed) =>
        option.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (value is not null && !allowed.Contains(value))
                result.AddError($"{option.Name} '{value}' is not one of {string.Join(", ", allowed)}");
        });
}

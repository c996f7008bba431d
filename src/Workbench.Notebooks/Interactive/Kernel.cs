using Microsoft.DotNet.Interactive.Formatting;
using Workbench.Notebooks.Execution;

namespace Microsoft.DotNet.Interactive;

/// <summary>
/// The static helpers of .NET Interactive's <c>Kernel</c> class that notebook cells call, so that cells written for
/// Polyglot Notebooks compile unchanged (with <c>using Microsoft.DotNet.Interactive;</c>, as there). They act on the
/// session running the calling cell.
/// </summary>
public static class Kernel
{
    /// <summary>Displays a value (formatted for <paramref name="mimeTypes"/>, or as the session formats it when none).</summary>
    public static DisplayedValue display(object? value, params string[] mimeTypes) => Workbench.Notebooks.Formatting.InteractiveFormatter.Show(value, mimeTypes);

    /// <summary>Asks the front end for a line of text (an input_request in Jupyter, an <c>--input</c> answer in the runner).</summary>
    /// <param name="prompt">The prompt shown to the user (and the key of the runner's answers).</param>
    /// <param name="typeHint">"password" hides what is typed; other hints ask for text.</param>
    public static Task<string> GetInputAsync(string prompt = "", string typeHint = "text") =>
        Session(prompt).RequestInputAsync(prompt, password: typeHint == "password");

    /// <summary>Asks the front end for a secret (the typed text is hidden where the front end can hide it).</summary>
    public static async Task<PasswordString> GetPasswordAsync(string prompt = "") =>
        new(await Session(prompt).RequestInputAsync(prompt, password: true).ConfigureAwait(false));

    private static NotebookSession Session(string prompt) =>
        NotebookSession.Current ?? throw new InputUnavailableException(prompt, "no notebook cell is running");
}

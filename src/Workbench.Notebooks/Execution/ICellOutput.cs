using System.Text.Json.Nodes;
using Workbench.Notebooks.Mime;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Execution;

/// <summary>
/// Where a running cell's side outputs go, as they happen: the kernel publishes them on IOPub, the runner appends
/// them to the notebook. Called from the cell's thread; implementations must be thread-safe.
/// </summary>
public interface ICellOutput
{
    /// <summary>Text written to stdout or stderr (<paramref name="name"/> is "stdout" or "stderr").</summary>
    void Stream(string name, string text);

    /// <summary>A display_data output; <paramref name="displayId"/> is set when the value can be updated later.</summary>
    void Display(MimeBundle bundle, string? displayId);

    /// <summary>Replaces an earlier display with the same id (update_display_data).</summary>
    void UpdateDisplay(MimeBundle bundle, string displayId);

    /// <summary>
    /// Asks the front end for one line of input (<c>Console.ReadLine()</c>, <c>Kernel.GetInputAsync</c>,
    /// <c>#!set --value @input:prompt</c>); <paramref name="password"/> asks it to hide what is typed. Cancelled by an
    /// interrupt. The default answers nothing: a front end that cannot prompt fails with <see cref="InputUnavailableException"/>.
    /// </summary>
    Task<string> RequestInputAsync(string prompt, bool password, CancellationToken cancellationToken) =>
        Task.FromException<string>(new InputUnavailableException(prompt, "this front end cannot answer input"));

    /// <summary>
    /// A comm message from the kernel side (comm_open, comm_msg or comm_close, with its full content) for the front
    /// end of this output's request. The default drops it: with no front end (the runner) widgets keep their state in
    /// the session only.
    /// </summary>
    void SendComm(string messageType, JsonObject content, JsonObject metadata, IReadOnlyList<byte[]> buffers) { }
}

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
}

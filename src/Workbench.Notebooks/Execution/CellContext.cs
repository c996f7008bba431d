using Workbench.Notebooks.Mime;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Execution;

/// <summary>
/// The script globals: every public member here is visible by its bare name in a cell.
/// <list type="bullet">
/// <item><c>display(value)</c> shows a value now and returns a <see cref="DisplayHandle"/> whose <c>Update(value)</c> replaces it.</item>
/// <item><c>display(content, mimeType)</c> shows raw content such as "text/html" or "text/markdown".</item>
/// <item><c>Cancellation</c> is cancelled by an interrupt: long loops should pass it on or check it.</item>
/// <item><c>Formatters</c> is the session's formatter registry, to register formatters for your own types.</item>
/// </list>
/// (Not named "Globals": Plotly.NET declares a global type of that name.)
/// </summary>
public sealed class CellContext
{
    internal CellContext(NotebookSession session)
    {
        Session = session;
        InteractiveFormatter.RouteDisplays();
    }

    internal NotebookSession Session { get; }

    /// <summary>Cancelled when the running cell is interrupted.</summary>
    public CancellationToken Cancellation => Session.CurrentCancellation;

    /// <summary>The session's formatter registry.</summary>
    public FormatterRegistry Formatters => Session.Formatters;

    /// <summary>The session's comms: <c>Comms.RegisterTarget(name, (comm, open) => …)</c>, <c>Comms.Open(name, data)</c>.</summary>
    public Workbench.Notebooks.Comms.CommManager Comms => Session.Comms;

    /// <summary>The folder relative paths resolve against (the notebook's folder).</summary>
    public string WorkingDirectory => Session.Options.WorkingDirectory;

    // Lower case on purpose: display() as Jupyter notebooks in every language write it.
    /// <summary>Displays a value (formatted by <see cref="Formatters"/>) and returns a handle to update it in place.</summary>
    public DisplayHandle display(object? value) => Show(Session.Format(value));

    /// <summary>Displays raw content of a MIME type (e.g. "text/html", "text/markdown", "text/latex").</summary>
    public DisplayHandle display(string content, string mimeType) => Show(Raw(content, mimeType));

    /// <summary>
    /// Displays a value formatted for exactly these MIME types, as .NET Interactive's <c>display(value, mimeTypes)</c>:
    /// the session's formatter gives the types it has for the value, .NET Interactive's <c>Formatter</c> the others.
    /// </summary>
    public DisplayHandle display(object? value, params string[] mimeTypes) =>
        Show(mimeTypes.Length == 0 ? Session.Format(value) : InteractiveFormatter.FormatAs(Session.Formatters, value, mimeTypes));

    /// <summary>Asks the front end for a line of text (as .NET Interactive's <c>Kernel.GetInputAsync</c>).</summary>
    public Task<string> GetInputAsync(string prompt = "", string typeHint = "text") =>
        Microsoft.DotNet.Interactive.Kernel.GetInputAsync(prompt, typeHint);

    /// <summary>Asks the front end for a secret (as .NET Interactive's <c>Kernel.GetPasswordAsync</c>).</summary>
    public Task<Microsoft.DotNet.Interactive.PasswordString> GetPasswordAsync(string prompt = "") =>
        Microsoft.DotNet.Interactive.Kernel.GetPasswordAsync(prompt);

    private DisplayHandle Show(MimeBundle bundle)
    {
        var handle = new DisplayHandle(this, Guid.NewGuid().ToString("N"));
        Publish(bundle, handle.DisplayId, update: false);
        return handle;
    }

    internal void Publish(MimeBundle bundle, string displayId, bool update)
    {
        if (update) Session.UpdateDisplay(bundle, displayId);
        else Session.Display(bundle, displayId);
    }

    // A value another kernel shares is handed over through here: the C# kernel declares the variable with a
    // submission that takes it (see CSharpKernel.SetValueAsync).
    internal object? PendingValue { get; set; }

    /// <summary>Used by the engine to declare a shared variable; not for cells.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public object? __TakePendingValue() => PendingValue;

    internal static MimeBundle Raw(string content, string mimeType)
    {
        var bundle = new MimeBundle().Add(mimeType, content);
        if (mimeType != "text/plain") bundle.Add("text/plain", content);
        return bundle;
    }
}

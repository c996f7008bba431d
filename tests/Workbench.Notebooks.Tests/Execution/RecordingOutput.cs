using Workbench.Notebooks.Mime;
using System.Text;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Tests.Execution;

/// <summary>Collects a cell's side outputs in order.</summary>
internal sealed class RecordingOutput : ICellOutput
{
    private readonly object _lock = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public List<(string Kind, MimeBundle Bundle, string? Id)> Displays { get; } = new();

    public string Stdout { get { lock (_lock) return _stdout.ToString(); } }

    public string Stderr { get { lock (_lock) return _stderr.ToString(); } }

    public void Stream(string name, string text)
    {
        lock (_lock) (name == "stderr" ? _stderr : _stdout).Append(text);
    }

    public void Display(MimeBundle bundle, string? displayId)
    {
        lock (_lock) Displays.Add(("display", bundle, displayId));
    }

    public void UpdateDisplay(MimeBundle bundle, string displayId)
    {
        lock (_lock) Displays.Add(("update", bundle, displayId));
    }
}

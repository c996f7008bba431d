using Workbench.Notebooks.Formatting;

namespace Workbench.Runner.Running;

/// <summary>How <see cref="NotebookRunner"/> runs a notebook.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>Overrides for the variables of the cell tagged <c>parameters</c> (name → value text).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Answers to the cells' input requests (<c>Console.ReadLine()</c>, <c>Kernel.GetInputAsync(prompt)</c>,
    /// <c>@input:prompt</c>), by prompt text. A prompt without an answer fails its cell.
    /// </summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>Longest time one cell may run; it is then interrupted and reported. Null: no limit.</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>Keep running after a failing cell (its error stays in the notebook) instead of stopping there.</summary>
    public bool AllowErrors { get; init; }

    /// <summary>
    /// Skip a cell whose Jupyter kernel is not installed (its error is KernelNotAvailable, e.g. <c>#!python</c> without the
    /// python3 kernelspec): it gets a note on stderr instead of an error, and the run goes on.
    /// </summary>
    public bool SkipUnavailableKernels { get; init; }

    /// <summary>Also render every Plotly chart to PNG with headless Chromium (for viewers that run no script, such as GitHub).</summary>
    public bool StaticImages { get; init; }

    /// <summary>
    /// Which chart outputs carry plotly.js in their text/html (default: the first chart of the notebook). With
    /// <see cref="PlotlyScriptMode.Never"/> notebooks stay small; charts then show through the figure JSON (JupyterLab's
    /// Plotly renderer, the HTML exporter) or the static image.
    /// </summary>
    public PlotlyScriptMode PlotlyScript { get; init; } = PlotlyScriptMode.FirstChart;

    /// <summary>The Chromium executable used for <see cref="StaticImages"/>.</summary>
    public string ChromiumPath { get; init; } = "/usr/bin/chromium";

    /// <summary>
    /// Make the notebook's folder the process's current directory while it runs, so relative paths in cells
    /// (File.ReadAllText("data.txt")) resolve as in Jupyter. The previous directory is restored afterwards.
    /// </summary>
    public bool ChangeCurrentDirectory { get; init; } = true;

    /// <summary>How long an interrupted (timed-out) cell may take to stop before it is abandoned.</summary>
    public TimeSpan InterruptGracePeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Write the notebook before each cell runs, with every earlier cell's outputs and that cell marked as running, so
    /// that a process that dies inside a cell (a stack overflow, an exception escaping a thread the cell started, a
    /// kill) leaves the notebook up to that cell. Only <see cref="NotebookRunner.RunFileAsync"/> writes.
    /// </summary>
    public bool SaveProgress { get; init; }

    /// <summary>Called before each code cell runs with its number (as in the notebook read, parameters injected or not) and id.</summary>
    public Action<int, string>? CellStarting { get; init; }

    /// <summary>
    /// Called when an exception escapes a thread a cell started (the process ends right after this returns), with that
    /// cell's number, id and the exception's name and message. Only <see cref="NotebookRunner.RunFileAsync"/> watches.
    /// </summary>
    public Action<CellFailure>? CellCrashed { get; init; }

    /// <summary>Progress lines ("cell 3/12 …"); null for none.</summary>
    public Action<string>? Log { get; init; }
}

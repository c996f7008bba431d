namespace Workbench.Notebooks.Formatting;

/// <summary>Which chart outputs carry the offline plotly.js (see <see cref="FormatterRegistry.PlotlyScript"/>).</summary>
public enum PlotlyScriptMode
{
    /// <summary>The first chart a registry formats carries plotly.js; later charts wait for <c>window.Plotly</c>.</summary>
    FirstChart,

    /// <summary>Every chart carries plotly.js (≈ 3.6 MB each): each output stands alone.</summary>
    EveryChart,

    /// <summary>No chart carries plotly.js: the page that shows them provides it.</summary>
    Never,
}

using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using FChart = Plotly.NET.Chart;

namespace Workbench.Plotting;

/// <summary>
/// Fluent styling for charts, with plain C# arguments (Plotly.NET's own functions are curried F# and
/// Plotly.NET.CSharp 0.14 has no title): <c>chart.WithTitle("Loss").WithXAxis("epoch").WithYAxis("loss", log: true)</c>.
/// </summary>
public static class ChartExtensions
{
    /// <summary>Sets the chart title.</summary>
    public static GenericChart WithTitle(this GenericChart chart, string title) =>
        FChart.withTitle(title, FSharpOption<Font>.None).Invoke(chart);

    /// <summary>
    /// Styles the x axis: title, logarithmic scale, fixed range. In a <see cref="Plot.Grid(int, int, GenericChart[])"/>,
    /// <paramref name="subplot"/> picks the axis of the n-th chart (1-based; xaxis, xaxis2, …).
    /// </summary>
    public static GenericChart WithXAxis(this GenericChart chart, string? title = null, bool log = false, double? min = null, double? max = null,
        int subplot = 1) =>
        chart.WithXAxisStyle<double, double, string>(
            Id: subplot < 1 ? throw new ArgumentOutOfRangeException(nameof(subplot), $"subplot is 1-based, got {subplot}") : StyleParam.SubPlotId.NewXAxis(subplot),
            TitleText: title is null ? default : new Optional<string>(title, true),
            AxisType: log ? StyleParam.AxisType.Log : default(Optional<StyleParam.AxisType>),
            MinMax: min is { } lo && max is { } hi ? Tuple.Create(lo, hi) : default(Optional<Tuple<double, double>>));

    /// <summary>
    /// Styles the y axis: title, logarithmic scale, fixed range. In a <see cref="Plot.Grid(int, int, GenericChart[])"/>,
    /// <paramref name="subplot"/> picks the axis of the n-th chart (1-based; yaxis, yaxis2, …).
    /// </summary>
    public static GenericChart WithYAxis(this GenericChart chart, string? title = null, bool log = false, double? min = null, double? max = null,
        int subplot = 1) =>
        chart.WithYAxisStyle<double, double, string>(
            Id: subplot < 1 ? throw new ArgumentOutOfRangeException(nameof(subplot), $"subplot is 1-based, got {subplot}") : StyleParam.SubPlotId.NewYAxis(subplot),
            TitleText: title is null ? default : new Optional<string>(title, true),
            AxisType: log ? StyleParam.AxisType.Log : default(Optional<StyleParam.AxisType>),
            MinMax: min is { } lo && max is { } hi ? Tuple.Create(lo, hi) : default(Optional<Tuple<double, double>>));

    /// <summary>Shows or hides the legend.</summary>
    public static GenericChart WithLegend(this GenericChart chart, bool show)
    {
        // withLayoutStyle has ~80 non-optional F# option parameters; a one-field layout merged in does the same.
        var layout = new Layout();
        layout.SetProperty("showlegend", show);
        return FChart.withLayout(layout).Invoke(chart);
    }

    /// <summary>Sets the figure size in pixels.</summary>
    public static GenericChart WithSize(this GenericChart chart, int width, int height) =>
        FChart.withSize(FSharpOption<int>.Some(width), FSharpOption<int>.Some(height)).Invoke(chart);
}

using MathNet.Numerics.LinearAlgebra;
using Plotly.NET;
using CChart = Plotly.NET.CSharp.Chart;

namespace Workbench.Plotting;

/// <summary>
/// Plotly charts from C# cells without type arguments or F# functions: <c>Plot.Line(epochs, losses, "train")</c>,
/// <c>Plot.Heatmap(weights, xLabels, yLabels)</c>, <c>Plot.Grid(2, 2, a, b, c, d)</c>. Each returns a Plotly.NET
/// <see cref="GenericChart"/>; style it with <see cref="ChartExtensions"/> (<c>.WithTitle("…").WithXAxis("epoch")</c>).
/// x values may be numbers, strings or dates (anything <see cref="IConvertible"/>).
/// </summary>
public static class Plot
{
    /// <summary>
    /// A line through the points (x[i], y[i]); <paramref name="name"/> labels it in the legend; <paramref name="color"/>
    /// is any CSS colour ("#1f77b4", "crimson"), so one series can keep its colour across subplots.
    /// </summary>
    public static GenericChart Line<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string? name = null, bool markers = false, string? color = null)
        where TX : IConvertible where TY : IConvertible =>
        CChart.Line<TX, TY, string>(x: x, y: y, ShowMarkers: markers, Name: Opt(name), ShowLegend: name is not null,
            LineColor: color is null ? default : new(Color.fromString(color), true));

    /// <summary>A line through y against its index 0, 1, 2, …</summary>
    public static GenericChart Line<TY>(IEnumerable<TY> y, string? name = null, bool markers = false, string? color = null) where TY : IConvertible
    {
        var values = y.ToList();
        return Line(Enumerable.Range(0, values.Count), values, name, markers, color);
    }

    /// <summary>Markers at the points (x[i], y[i]).</summary>
    public static GenericChart Scatter<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string? name = null)
        where TX : IConvertible where TY : IConvertible =>
        CChart.Point<TX, TY, string>(x: x, y: y, Name: Opt(name), ShowLegend: name is not null);

    /// <summary>Labelled markers: <paramref name="labels"/>[i] is written next to point i (e.g. words in a 2-D embedding projection).</summary>
    public static GenericChart Scatter<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, IEnumerable<string> labels, string? name = null)
        where TX : IConvertible where TY : IConvertible =>
        CChart.Scatter<TX, TY, string>(x: x, y: y, mode: StyleParam.Mode.Markers_Text, Name: Opt(name),
            ShowLegend: name is not null, MultiText: Opt(labels), TextPosition: StyleParam.TextPosition.TopCenter);

    /// <summary>Vertical bars: one per category with its value.</summary>
    public static GenericChart Bar<TKey, TValue>(IEnumerable<TKey> categories, IEnumerable<TValue> values, string? name = null)
        where TKey : IConvertible where TValue : IConvertible =>
        CChart.Column<TValue, TKey, string>(values: values, Keys: Opt(categories), Name: Opt(name), ShowLegend: name is not null);

    /// <summary>A histogram of <paramref name="values"/> with about <paramref name="bins"/> bins (Plotly chooses when null).</summary>
    public static GenericChart Histogram<T>(IEnumerable<T> values, string? name = null, int? bins = null) where T : IConvertible =>
        CChart.Histogram<T, T, string>(X: Opt(values), Name: Opt(name), ShowLegend: name is not null,
            NBinsX: bins is { } b ? b : default(Plotly.NET.CSharp.Optional<int>));

    /// <summary>
    /// A heatmap of z[row][column] with row 0 at the top (as a matrix is read); labels name the columns (x) and rows (y).
    /// </summary>
    public static GenericChart Heatmap(IEnumerable<IEnumerable<double>> z, IEnumerable<string>? xLabels = null,
        IEnumerable<string>? yLabels = null, string? name = null, bool showScale = true)
    {
        var rows = z.Select(r => r.ToArray()).ToArray();
        var width = rows.Length == 0 ? 0 : rows[0].Length;
        for (var i = 0; i < rows.Length; i++)
            if (rows[i].Length != width)
                throw new ArgumentException($"Heatmap: row {i} has {rows[i].Length} values, row 0 has {width}.", nameof(z));
        var x = xLabels?.ToArray();
        var y = yLabels?.ToArray();
        if (x is not null && x.Length != width)
            throw new ArgumentException($"Heatmap: {x.Length} x labels for {width} columns.", nameof(xLabels));
        if (y is not null && y.Length != rows.Length)
            throw new ArgumentException($"Heatmap: {y.Length} y labels for {rows.Length} rows.", nameof(yLabels));
        return CChart.Heatmap<double, string, string, string>(zData: rows, X: Opt<IEnumerable<string>>(x),
            Y: Opt<IEnumerable<string>>(y), Name: Opt(name), ShowScale: showScale, ReverseYAxis: true);
    }

    /// <summary>A heatmap of a 2-D array (rows × columns), row 0 at the top.</summary>
    public static GenericChart Heatmap(double[,] z, IEnumerable<string>? xLabels = null, IEnumerable<string>? yLabels = null,
        string? name = null, bool showScale = true) =>
        Heatmap(Enumerable.Range(0, z.GetLength(0)).Select(r => Enumerable.Range(0, z.GetLength(1)).Select(c => z[r, c])),
            xLabels, yLabels, name, showScale);

    /// <summary>A heatmap of a MathNet matrix (e.g. a weight matrix), row 0 at the top.</summary>
    public static GenericChart Heatmap(Matrix<double> z, IEnumerable<string>? xLabels = null, IEnumerable<string>? yLabels = null,
        string? name = null, bool showScale = true) =>
        Heatmap(z.ToArray(), xLabels, yLabels, name, showScale);

    /// <summary>Several charts drawn on the same axes (e.g. train and validation loss).</summary>
    public static GenericChart Combine(params GenericChart[] charts) => CChart.Combine(charts);

    /// <summary>Several charts drawn on the same axes.</summary>
    public static GenericChart Combine(IEnumerable<GenericChart> charts) => CChart.Combine(charts);

    /// <summary>Subplots: the charts fill a <paramref name="rows"/> × <paramref name="columns"/> grid row by row.</summary>
    public static GenericChart Grid(int rows, int columns, params GenericChart[] charts) =>
        Grid(rows, columns, null, charts);

    /// <summary>Subplots with a title over each one.</summary>
    public static GenericChart Grid(int rows, int columns, IEnumerable<string>? titles, params GenericChart[] charts)
    {
        if (rows < 1 || columns < 1) throw new ArgumentOutOfRangeException(nameof(rows), $"Grid: {rows}×{columns} is not a grid.");
        if (charts.Length > rows * columns)
            throw new ArgumentException($"Grid: {charts.Length} charts do not fit in {rows}×{columns}.", nameof(charts));
        return CChart.Grid(charts, rows, columns, SubPlotTitles: Opt(titles?.ToArray() as IEnumerable<string>));
    }

    private static Plotly.NET.CSharp.Optional<T> Opt<T>(T? value) => value is null ? default : new(value, true);
}

using Workbench.Notebooks.Mime;
using Microsoft.Data.Analysis;
using Plotly.NET;


namespace Workbench.Notebooks.Formatting;

/// <summary>
/// Maps a value's type to its MIME representations. The most specific registered type wins (exact type, then base
/// classes, then interfaces); a later registration for the same type replaces an earlier one. text/plain is always present.
/// A new registry holds the built-in formatters: values that render themselves (<see cref="IMimeRenderable"/>, as the
/// display helpers Markdown, Latex, Html, Image and Svg do), Plotly.NET charts, Microsoft.Data.Analysis data frames,
/// MathNet.Numerics vectors and matrices, 2-D arrays, sequences (records become HTML tables) and hand-made <see cref="MimeBundle"/>s.
/// </summary>
public sealed class FormatterRegistry
{
    private readonly Dictionary<Type, Func<object, MimeBundle>> _formatters = new();
    private int _plotlyScriptEmitted;
    private int _chartSequence;

    /// <summary>Creates a registry with the built-in formatters.</summary>
    public FormatterRegistry() : this(includeBuiltIns: true) { }

    /// <summary>Creates a registry, with or without the built-in formatters (an empty one still gives text/plain).</summary>
    public FormatterRegistry(bool includeBuiltIns)
    {
        if (includeBuiltIns) RegisterBuiltIns();
    }

    /// <summary>A registry with the built-in formatters: what every notebook session uses unless told otherwise.</summary>
    public static FormatterRegistry CreateDefault() => new(includeBuiltIns: true);

    /// <summary>Rows shown by table views (data frames, record sequences) before a "… more rows" note. Default 20.</summary>
    public int MaxTableRows { get; set; } = 20;

    /// <summary>Elements shown at each end of a long vector, and rows/columns at each end of a large matrix. Default 5.</summary>
    public int EdgeItems { get; set; } = 5;

    /// <summary>
    /// Whether chart HTML carries plotly.js: <see cref="PlotlyScriptMode.FirstChart"/> (default: the first chart this
    /// registry formats inlines the offline copy, later ones reuse <c>window.Plotly</c>), <see cref="PlotlyScriptMode.EveryChart"/>
    /// or <see cref="PlotlyScriptMode.Never"/> (the page provides plotly.js, as the HTML exporter does).
    /// </summary>
    public PlotlyScriptMode PlotlyScript { get; set; } = PlotlyScriptMode.FirstChart;

    /// <summary>Registers a formatter for <typeparamref name="T"/> and its subtypes.</summary>
    public void Register<T>(Func<T, MimeBundle> formatter) => Register(typeof(T), o => formatter((T)o));

    /// <summary>Registers a formatter for <paramref name="type"/> and its subtypes.</summary>
    public void Register(Type type, Func<object, MimeBundle> formatter)
    {
        lock (_formatters) _formatters[type] = formatter;
    }

    /// <summary>Registers an HTML view for <typeparamref name="T"/> (text/plain stays the value's ToString()).</summary>
    public void RegisterHtml<T>(Func<T, string> html) =>
        Register<T>(value => new MimeBundle().Add("text/html", html(value)).Add("text/plain", value?.ToString() ?? ""));

    /// <summary>Formats a value; null formats as "null".</summary>
    public MimeBundle Format(object? value)
    {
        if (value is null) return MimeBundle.PlainText("null");
        var formatter = Find(value.GetType());
        var bundle = formatter is null ? new MimeBundle() : formatter(value);
        if (!bundle.Data.ContainsKey("text/plain")) bundle.Add("text/plain", value.ToString() ?? "");
        return bundle;
    }

    private Func<object, MimeBundle>? Find(Type type)
    {
        lock (_formatters)
        {
            for (var t = type; t is not null; t = t.BaseType)
                if (_formatters.TryGetValue(t, out var f)) return f;
            foreach (var i in type.GetInterfaces())
                if (_formatters.TryGetValue(i, out var f)) return f;
            return null;
        }
    }

    private void RegisterBuiltIns()
    {
        // Strings are sequences of chars: keep them out of the sequence formatter.
        Register<string>(s => MimeBundle.PlainText(s));
        Register<IMimeRenderable>(r => r.ToMimeBundle());
        Register<GenericChart>(chart => PlotlyView.Format(chart, ClaimPlotlyScript(), Interlocked.Increment(ref _chartSequence)));
        Register<DataFrame>(df => DataFrameView.Format(df, MaxTableRows));
        Register<MathNet.Numerics.LinearAlgebra.Vector<double>>(v => MathNetView.Format(v, EdgeItems));
        Register<MathNet.Numerics.LinearAlgebra.Vector<float>>(v => MathNetView.Format(v, EdgeItems));
        Register<MathNet.Numerics.LinearAlgebra.Matrix<double>>(m => MathNetView.Format(m, EdgeItems));
        Register<MathNet.Numerics.LinearAlgebra.Matrix<float>>(m => MathNetView.Format(m, EdgeItems));
        Register<Array>(array => ArrayView.Format(array, MaxTableRows, EdgeItems));
        Register<System.Collections.IEnumerable>(seq => SequenceView.Format(seq, MaxTableRows));
        // A bundle built by hand is shown as it is (a copy, so formatting never changes the caller's object).
        Register<MimeBundle>(bundle =>
        {
            var copy = new MimeBundle();
            foreach (var (mime, node) in bundle.Data) copy.AddJson(mime, node.DeepClone());
            foreach (var (key, node) in bundle.Metadata) copy.Metadata[key] = node?.DeepClone();
            if (!copy.Data.ContainsKey("text/plain")) copy.Add("text/plain", "");
            return copy;
        });
    }

    /// <summary>True when this chart must carry plotly.js (per <see cref="PlotlyScript"/>).</summary>
    private bool ClaimPlotlyScript() => PlotlyScript switch
    {
        PlotlyScriptMode.EveryChart => true,
        PlotlyScriptMode.Never => false,
        _ => Interlocked.Exchange(ref _plotlyScriptEmitted, 1) == 0,
    };
}

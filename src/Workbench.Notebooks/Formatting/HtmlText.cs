using System.Globalization;
using System.Net;

namespace Workbench.Notebooks.Formatting;

/// <summary>Small text helpers shared by the built-in views: escaping and culture-independent numbers.</summary>
internal static class HtmlText
{
    /// <summary>HTML-escapes text (quotes too, so it is safe in attributes).</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A cell value as text: numbers with 6 significant digits, invariant culture; null as "null".</summary>
    public static string Cell(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The inline style every table view shares: plain, readable in static viewers (which strip &lt;style&gt;).</summary>
    public const string TableOpen = "<table class=\"workbench-table\">";

    /// <summary>Pads each column of <paramref name="rows"/> to its widest cell (numbers right-aligned).</summary>
    public static string AlignColumns(IReadOnlyList<string[]> rows, bool rightAlign = true)
    {
        if (rows.Count == 0) return "";
        var columns = rows.Max(r => r.Length);
        var widths = new int[columns];
        foreach (var row in rows)
            for (var c = 0; c < row.Length; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        var sb = new System.Text.StringBuilder();
        for (var r = 0; r < rows.Count; r++)
        {
            if (r > 0) sb.Append('\n');
            var row = rows[r];
            for (var c = 0; c < row.Length; c++)
            {
                if (c > 0) sb.Append("  ");
                sb.Append(rightAlign ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
            }
        }
        return sb.ToString();
    }
}

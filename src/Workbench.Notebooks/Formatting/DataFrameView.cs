using Workbench.Notebooks.Mime;
using System.Text;
using Microsoft.Data.Analysis;

namespace Workbench.Notebooks.Formatting;

/// <summary>
/// A data frame as a plain HTML table (no script, no style element: GitHub and nbviewer show it as is) and as aligned
/// text; both stop after a number of rows with a "… more rows" note.
/// </summary>
internal static class DataFrameView
{
    public static MimeBundle Format(DataFrame frame, int maxRows)
    {
        var rowCount = frame.Rows.Count;
        var shown = (int)Math.Min(rowCount, Math.Max(0, maxRows));
        var columns = frame.Columns;

        var html = new StringBuilder();
        html.Append(HtmlText.TableOpen).Append("<thead><tr><th></th>");
        foreach (var column in columns)
            html.Append("<th title=\"").Append(HtmlText.Encode(column.DataType.Name)).Append("\">")
                .Append(HtmlText.Encode(column.Name)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        for (long r = 0; r < shown; r++)
        {
            html.Append("<tr><th>").Append(r).Append("</th>");
            foreach (var column in columns) html.Append("<td>").Append(HtmlText.Encode(HtmlText.Cell(column[r]))).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        var more = rowCount - shown;
        if (more > 0) html.Append("<p>… ").Append(more).Append(more == 1 ? " more row" : " more rows").Append("</p>");
        html.Append("<p>").Append(rowCount).Append(" rows × ").Append(columns.Count).Append(" columns</p>");

        var text = new List<string[]>();
        text.Add(new[] { "" }.Concat(columns.Select(c => c.Name)).ToArray());
        for (long r = 0; r < shown; r++)
            text.Add(new[] { r.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                .Concat(columns.Select(c => HtmlText.Cell(c[r]))).ToArray());
        var plain = new StringBuilder(HtmlText.AlignColumns(text));
        if (more > 0) plain.Append("\n… ").Append(more).Append(more == 1 ? " more row" : " more rows");
        plain.Append('\n').Append(rowCount).Append(" rows × ").Append(columns.Count).Append(" columns");

        return new MimeBundle().Add("text/html", html.ToString()).Add("text/plain", plain.ToString());
    }
}

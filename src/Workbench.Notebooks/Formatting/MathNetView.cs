using Workbench.Notebooks.Mime;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Notebooks.Formatting;

/// <summary>
/// Compact views of MathNet.Numerics vectors and matrices: a shape header, then the first and last
/// <c>edgeItems</c> elements (rows and columns for matrices) with ellipses between, aligned in columns.
/// </summary>
internal static class MathNetView
{
    private const string HorizontalEllipsis = "…";
    private const string VerticalEllipsis = "⋮";
    private const string DiagonalEllipsis = "⋱";

    public static MimeBundle Format<T>(Vector<T> vector, int edgeItems) where T : struct, IEquatable<T>, IFormattable
    {
        var header = $"{TypeName(vector)} (length {vector.Count})";
        var indices = Edges(vector.Count, edgeItems);
        var cells = indices.Select(i => i < 0 ? HorizontalEllipsis : HtmlText.Cell(vector[i])).ToArray();
        var width = cells.Length == 0 ? 0 : cells.Max(c => c.Length);
        var plain = header + "\n[" + string.Join("  ", cells.Select(c => c.PadLeft(width))) + "]";

        var html = new StringBuilder();
        html.Append("<div><p>").Append(HtmlText.Encode(header)).Append("</p>").Append(HtmlText.TableOpen).Append("<tbody><tr>");
        foreach (var c in cells) html.Append("<td>").Append(HtmlText.Encode(c)).Append("</td>");
        html.Append("</tr></tbody></table></div>");
        return new MimeBundle().Add("text/html", html.ToString()).Add("text/plain", plain);
    }

    public static MimeBundle Format<T>(Matrix<T> matrix, int edgeItems) where T : struct, IEquatable<T>, IFormattable =>
        Grid($"{TypeName(matrix)} {matrix.RowCount}×{matrix.ColumnCount}", matrix.RowCount, matrix.ColumnCount, (r, c) => matrix[r, c], edgeItems);

    /// <summary>A rectangular view: header, then the corner rows/columns aligned, with ellipses for what is left out.</summary>
    internal static MimeBundle Grid(string header, int rowCount, int columnCount, Func<int, int, object?> cell, int edgeItems)
    {
        var rows = Edges(rowCount, edgeItems);
        var columns = Edges(columnCount, edgeItems);
        var grid = rows.Select(r => columns.Select(c =>
            r < 0 ? (c < 0 ? DiagonalEllipsis : VerticalEllipsis)
                  : (c < 0 ? HorizontalEllipsis : HtmlText.Cell(cell(r, c)))).ToArray()).ToList();
        var plain = header + (grid.Count > 0 ? "\n" + HtmlText.AlignColumns(grid) : "");

        var html = new StringBuilder();
        html.Append("<div><p>").Append(HtmlText.Encode(header)).Append("</p>").Append(HtmlText.TableOpen).Append("<thead><tr><th></th>");
        foreach (var c in columns) html.Append("<th>").Append(c < 0 ? HorizontalEllipsis : c.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        for (var i = 0; i < rows.Count; i++)
        {
            html.Append("<tr><th>").Append(rows[i] < 0 ? VerticalEllipsis : rows[i].ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("</th>");
            foreach (var item in grid[i]) html.Append("<td>").Append(HtmlText.Encode(item)).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>");
        return new MimeBundle().Add("text/html", html.ToString()).Add("text/plain", plain);
    }

    /// <summary>Indices 0..count-1, or the first and last <paramref name="edge"/> with -1 marking the gap.</summary>
    internal static List<int> Edges(int count, int edge)
    {
        edge = Math.Max(1, edge);
        if (count <= 2 * edge) return Enumerable.Range(0, count).ToList();
        var list = Enumerable.Range(0, edge).ToList();
        list.Add(-1);
        list.AddRange(Enumerable.Range(count - edge, edge));
        return list;
    }

    private static string TypeName(object value)
    {
        var type = value.GetType();
        var name = type.Name;
        var tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        // MathNet's concrete types are per element type (DenseVector in ...Double), so name the element type too.
        var element = type.Namespace?.Split('.').LastOrDefault() ?? "";
        return $"{name}<{element}>";
    }
}

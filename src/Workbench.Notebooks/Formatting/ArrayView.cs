using Workbench.Notebooks.Mime;
namespace Workbench.Notebooks.Formatting;

/// <summary>
/// .NET arrays: one-dimensional ones as sequences, two-dimensional ones (<c>double[,]</c>) as an aligned grid like a
/// matrix, higher ranks as their shape and first elements.
/// </summary>
internal static class ArrayView
{
    public static MimeBundle Format(Array array, int maxRows, int edgeItems)
    {
        var name = array.GetType().GetElementType()!.Name;
        switch (array.Rank)
        {
            case 1:
                return SequenceView.Format(array, maxRows);
            case 2:
                var rows = array.GetLength(0);
                var columns = array.GetLength(1);
                return MathNetView.Grid($"{name}[{rows}, {columns}]", rows, columns, (r, c) => array.GetValue(r, c), edgeItems);
            default:
                var shape = string.Join(", ", Enumerable.Range(0, array.Rank).Select(array.GetLength));
                var first = array.Cast<object?>().Take(2 * edgeItems).Select(HtmlText.Cell);
                var more = array.Length > 2 * edgeItems ? ", …" : "";
                return MimeBundle.PlainText($"{name}[{shape}] (row-major) [{string.Join(", ", first)}{more}]");
        }
    }
}

using Workbench.Notebooks.Mime;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Tests.Formatting;

public class MathNetViewTests
{
    [Fact]
    public void LongVectorShowsShapeAndBothEnds()
    {
        var v = Vector<double>.Build.Dense(100, i => i * 0.5);
        var bundle = new FormatterRegistry { EdgeItems = 3 }.Format(v);
        var text = bundle.GetText("text/plain")!;
        Assert.Equal("DenseVector<Double> (length 100)\n[   0   0.5     1     …  48.5    49  49.5]", text);
        var html = bundle.GetText("text/html")!;
        Assert.Contains("(length 100)", html);
        Assert.Equal(7, html.Split("<td>").Length - 1);
    }

    [Fact]
    public void ShortFloatVectorShowsEveryElement()
    {
        var v = Vector<float>.Build.DenseOfArray([1f, -2.5f]);
        Assert.Equal("DenseVector<Single> (length 2)\n[   1  -2.5]", new FormatterRegistry().Format(v).GetText("text/plain"));
    }

    [Fact]
    public void LargeMatrixShowsCornersWithEllipsesAligned()
    {
        var m = Matrix<double>.Build.Dense(10, 12, (r, c) => r * 100 + c);
        var text = new FormatterRegistry { EdgeItems = 2 }.Format(m).GetText("text/plain")!.Split('\n');
        Assert.Equal("DenseMatrix<Double> 10×12", text[0]);
        Assert.Equal(6, text.Length); // header + 2 rows + ⋮ + 2 rows
        Assert.Equal("  0    1  …   10   11", text[1]);
        Assert.Equal("  ⋮    ⋮  ⋱    ⋮    ⋮", text[3]);
        Assert.Equal("900  901  …  910  911", text[5]);
    }

    [Fact]
    public void MatrixHtmlHasRowAndColumnIndices()
    {
        var m = Matrix<double>.Build.Dense(2, 2, (r, c) => r - c);
        var html = new FormatterRegistry().Format(m).GetText("text/html")!;
        Assert.Contains("<thead><tr><th></th><th>0</th><th>1</th></tr></thead>", html);
        Assert.Contains("<tr><th>1</th><td>1</td><td>0</td></tr>", html);
    }

    [Fact]
    public void TwoDimensionalArrayIsAGridAndOtherRanksShowTheirShape()
    {
        var registry = new FormatterRegistry { EdgeItems = 1 };
        var grid = registry.Format(new double[,] { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } }).GetText("text/plain");
        Assert.Equal("Double[3, 3]\n1  …  3\n⋮  ⋱  ⋮\n7  …  9", grid);
        Assert.Equal("[ 1, 2 ]", registry.Format(new[] { 1, 2 }).GetText("text/plain"));
        Assert.Equal("Int32[2, 2, 2] (row-major) [0, 1, …]", registry.Format(new int[2, 2, 2] { { { 0, 1 }, { 2, 3 } }, { { 4, 5 }, { 6, 7 } } }).GetText("text/plain"));
    }

    [Fact]
    public void HandMadeBundleIsShownAsIsWithoutChangingIt()
    {
        var bundle = new MimeBundle().Add("text/html", "<i>x</i>");
        var shown = new FormatterRegistry().Format(bundle);
        Assert.Equal("<i>x</i>", shown.GetText("text/html"));
        Assert.Equal("", shown.GetText("text/plain"));
        Assert.Single(bundle.Data);
    }
}

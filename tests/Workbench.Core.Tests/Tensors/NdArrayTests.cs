using Workbench.Tensors;

namespace Workbench.Core.Tests.Tensors;

public class NdArrayTests
{
    [Fact]
    public void IndexesRowMajor()
    {
        var a = new NdArray<double>(Enumerable.Range(0, 24).Select(i => (double)i).ToArray(), 2, 3, 4);
        Assert.Equal(1 * 12 + 2 * 4 + 3, a[1, 2, 3]);
        Assert.Equal(23, a.Offset(1, 2, 3));
    }

    [Fact]
    public void ShapeMismatchNamesBothShapes()
    {
        var a = NdArray<float>.Zeros(5, 3, 10);
        var ex = Assert.Throws<ArgumentException>(() => a.RequireShape("input", 5, 3, 8));
        Assert.Contains("'input'", ex.Message);
        Assert.Contains("(5, 3, 10)", ex.Message);
        Assert.Contains("(5, 3, 8)", ex.Message);
    }

    [Fact]
    public void DataLengthMustMatchShape()
    {
        Assert.Throws<ArgumentException>(() => new NdArray<float>(new float[5], 2, 3));
    }

    [Fact]
    public void SelectRemovesTheAxisLikeTorchSelect()
    {
        var a = new NdArray<double>(Enumerable.Range(0, 24).Select(i => (double)i).ToArray(), 2, 3, 4);
        var step = a.Select(0, 1);
        Assert.Equal(new[] { 3, 4 }, step.Shape);
        Assert.Equal(a[1, 2, 3], step[2, 3]);
        var middle = a.Select(1, 2);
        Assert.Equal(new[] { 2, 4 }, middle.Shape);
        Assert.Equal(a[1, 2, 0], middle[1, 0]);
        var last = a.Select(2, 3);
        Assert.Equal(new[] { 2, 3 }, last.Shape);
        Assert.Equal(a[0, 1, 3], last[0, 1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Select(1, 3));
    }

    [Fact]
    public void MathNetRoundTripsKeepRowMajorOrder()
    {
        var a = new NdArray<float>([1, 2, 3, 4, 5, 6], 2, 3);
        var m = a.ToMatrix();
        Assert.Equal(6f, m[1, 2]);
        Assert.Equal(a.Data, NdArray<float>.FromMatrix(m).Data);
        var v = new NdArray<double>([7, 8], 2).ToVector();
        Assert.Equal(8.0, v[1]);
        Assert.Equal(new[] { 2 }, NdArray<double>.FromVector(v).Shape);
        Assert.Throws<InvalidOperationException>(() => a.ToVector());
    }
}

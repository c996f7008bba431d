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
}

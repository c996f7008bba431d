using MathNet.Numerics.LinearAlgebra;
using Workbench.Layers;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Layers;

public class InitTests
{
    [Theory]
    [InlineData(4, 6)]
    [InlineData(6, 4)]
    [InlineData(5, 5)]
    public void OrthogonalHasOrthonormalRowsOrColumns(int rows, int cols)
    {
        var w = Init.Orthogonal(NdArray<double>.Zeros(rows, cols), new Random(3), gain: 2.0);
        var m = Matrix<double>.Build.Dense(rows, cols, (r, c) => w[r, c] / 2.0);
        Matrix<double> gram = rows <= cols ? m * m.Transpose() : m.Transpose() * m;
        int n = Math.Min(rows, cols);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(i == j ? 1.0 : 0.0, gram[i, j], 1e-12);
    }

    [Fact]
    public void XavierUniformRespectsBoundAndIsSeeded()
    {
        var a = Init.XavierUniform(NdArray<double>.Zeros(30, 20), new Random(1));
        var b = Init.XavierUniform(NdArray<double>.Zeros(30, 20), new Random(1));
        Assert.Equal(a.Data, b.Data);
        double bound = Math.Sqrt(6.0 / 50);
        Assert.All(a.Data, v => Assert.InRange(v, -bound, bound));
        Assert.True(a.Data.Max() > 0.9 * bound);
    }

    [Fact]
    public void XavierNormalHasTheStatedVariance()
    {
        var a = Init.XavierNormal(NdArray<double>.Zeros(300, 100), new Random(1), gain: 1.5);
        double expected = 1.5 * 1.5 * 2.0 / 400;
        double variance = a.Data.Select(v => v * v).Average();
        Assert.InRange(variance / expected, 0.95, 1.05);
    }

    [Fact]
    public void FansFollowTorch()
    {
        Assert.Equal((20, 30), Init.Fans(NdArray<float>.Zeros(30, 20)));
        Assert.Equal((4 * 9, 8 * 9), Init.Fans(NdArray<float>.Zeros(8, 4, 3, 3)));
        Assert.Throws<ArgumentException>(() => Init.Fans(NdArray<float>.Zeros(5)));
    }

    [Fact]
    public void PyTorchDefaultBound()
    {
        var a = Init.PyTorchDefault(NdArray<float>.Zeros(1000), 25, new Random(4));
        Assert.All(a.Data, v => Assert.InRange(v, -0.2f, 0.2f));
        Assert.True(a.Data.Max() > 0.19f && a.Data.Min() < -0.19f);
    }
}

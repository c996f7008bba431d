using Workbench.Layers;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Layers;

public class LinearTests
{
    private static double Loss(Linear<double> layer, NdArray<double> x, NdArray<double> weights)
    {
        NdArray<double> y = layer.Forward(x);
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += y.Data[i] * weights.Data[i];
        return sum;
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var random = new Random(5);
        var layer = new Linear<double>(4, 3, random);
        var x = Init.Normal(NdArray<double>.Zeros(2, 5, 4), 0, 1, random);
        var w = Init.Normal(NdArray<double>.Zeros(2, 5, 3), 0, 1, random);
        layer.Forward(x);
        NdArray<double> gradX = layer.Backward(w);
        const double h = 1e-6;
        foreach (var (values, grad) in new[] { (x.Data, gradX.Data), (layer.Weight.Value.Data, layer.Weight.Grad.Data), (layer.Bias!.Value.Data, layer.Bias.Grad.Data) })
        {
            for (int i = 0; i < values.Length; i++)
            {
                double keep = values[i];
                values[i] = keep + h; double up = Loss(layer, x, w);
                values[i] = keep - h; double down = Loss(layer, x, w);
                values[i] = keep;
                Assert.Equal((up - down) / (2 * h), grad[i], 1e-7);
            }
        }
    }

    [Fact]
    public void BackwardAccumulatesParameterGradients()
    {
        var layer = new Linear<double>(2, 2, new Random(1));
        var x = new NdArray<double>([1, 2], 1, 2);
        var g = new NdArray<double>([1, -1], 1, 2);
        layer.Forward(x); layer.Backward(g);
        layer.Forward(x); layer.Backward(g);
        Assert.Equal([2, 4, -2, -4], layer.Weight.Grad.Data);
        Assert.Equal([2, -2], layer.Bias!.Grad.Data);
    }

    [Fact]
    public void WithoutBiasHasOnlyWeightAndWrongInputIsNamed()
    {
        var layer = new Linear<float>(3, 2, new Random(1), bias: false);
        Assert.Equal(["weight"], layer.Parameters.Select(p => p.Name));
        Assert.Equal([1, 2], layer.Forward(new NdArray<float>([1, 0, 0], 1, 3)).Shape);
        Assert.Equal(layer.Weight.Value[1, 0], layer.Forward(new NdArray<float>([1, 0, 0], 3))[1]);
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(NdArray<float>.Zeros(2, 4)));
        Assert.Contains("'input'", ex.Message);
        Assert.Contains("(2, 4)", ex.Message);
    }

    [Fact]
    public void DefaultInitIsBoundedByInverseSqrtFanIn()
    {
        var layer = new Linear<double>(16, 64, new Random(2));
        Assert.All(layer.Weight.Value.Data, v => Assert.InRange(v, -0.25, 0.25));
        Assert.All(layer.Bias!.Value.Data, v => Assert.InRange(v, -0.25, 0.25));
        Assert.True(layer.Weight.Value.Data.Max() > 0.2 && layer.Weight.Value.Data.Min() < -0.2);
    }

    [Fact]
    public void SeedOverloadsReproduceTheRandomOverloads()
    {
        Assert.Equal(new Linear<float>(3, 4, new Random(11)).Weight.Value.Data, new Linear<float>(3, 4, seed: 11).Weight.Value.Data);
        Assert.Equal(new Embedding<float>(5, 2, new Random(11), 1).Weight.Value.Data, new Embedding<float>(5, 2, seed: 11, paddingIdx: 1).Weight.Value.Data);
        Assert.NotEqual(new Linear<double>(3, 4, seed: 1).Weight.Value.Data, new Linear<double>(3, 4, seed: 2).Weight.Value.Data);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReuseOutputsGivesTheDefaultNumbersAndOverwritesItsOutputs(bool bias)
    {
        var fresh = new Linear<double>(6, 4, new Random(9), bias);
        var reusing = new Linear<double>(6, 4, new Random(9), bias) { ReuseOutputs = true };
        NdArray<double>? firstOutput = null, firstGradient = null;
        for (int call = 0; call < 3; call++)
        {
            var random = new Random(100 + call);
            var x = Init.Normal(NdArray<double>.Zeros(3, 2, 6), 0, 1, random);
            var g = Init.Normal(NdArray<double>.Zeros(3, 2, 4), 0, 1, random);
            NdArray<double> expected = fresh.Forward(x), actual = reusing.Forward(x);
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(expected.Data, actual.Data);
            NdArray<double> expectedGrad = fresh.Backward(g), actualGrad = reusing.Backward(g);
            Assert.Equal(expectedGrad.Shape, actualGrad.Shape);
            Assert.Equal(expectedGrad.Data, actualGrad.Data);
            Assert.Equal(fresh.Weight.Grad.Data, reusing.Weight.Grad.Data);
            if (bias) Assert.Equal(fresh.Bias!.Grad.Data, reusing.Bias!.Grad.Data);
            firstOutput ??= actual;
            firstGradient ??= actualGrad;
            Assert.Same(firstOutput, actual);
            Assert.Same(firstGradient, actualGrad);
        }
        var y = Init.Normal(NdArray<double>.Zeros(5, 6), 0, 1, new Random(1));
        Assert.NotSame(fresh.Forward(y), fresh.Forward(y));
        // Another leading shape gets its own array, with the right shape.
        Assert.Equal([5, 4], reusing.Forward(y).Shape);
        Assert.Equal([5, 6], reusing.Backward(NdArray<double>.Zeros(5, 4)).Shape);
        var ex = Assert.Throws<ArgumentException>(() => reusing.Backward(NdArray<double>.Zeros(4, 5)));
        Assert.Contains("'grad_output'", ex.Message);
        Assert.Contains("(5, 4)", ex.Message);
    }

    [Fact]
    public void ReuseOutputsAllocatesNothingPerStepAfterWarmUp()
    {
        var layer = new Linear<float>(32, 65, new Random(3)) { ReuseOutputs = true };
        var x = Init.Normal(NdArray<float>.Zeros(50, 32), 0, 1, new Random(4));
        var g = Init.Normal(NdArray<float>.Zeros(50, 65), 0, 1, new Random(5));
        for (int i = 0; i < 3; i++) { layer.Forward(x); layer.Backward(g); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) { layer.Forward(x); layer.Backward(g); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

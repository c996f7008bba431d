using Workbench.Layers;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Layers;

public class EmbeddingTests
{
    [Fact]
    public void LooksUpRowsForAnyLeadingShape()
    {
        var e = new Embedding<double>(5, 2, new Random(3));
        NdArray<double> y = e.Forward([4, 0, 4, 1, 2, 3], [2, 1, 3]);
        Assert.Equal([2, 1, 3, 2], y.Shape);
        Assert.Equal(e.Weight.Value[1, 1], y[1, 0, 0, 1]);
        Assert.Equal(e.Weight.Value[4, 0], y[0, 0, 2, 0]);
        Assert.Equal(e.Weight.Value[0, 0], y[0, 0, 1, 0]);
    }

    [Fact]
    public void BackwardScatterAddsRepeatedIds()
    {
        var e = new Embedding<double>(4, 2, new Random(3));
        e.Forward([1, 3, 1]);
        e.Backward(new NdArray<double>([1, 2, 10, 20, 100, 200], 3, 2));
        Assert.Equal([0, 0, 101, 202, 0, 0, 10, 20], e.Weight.Grad.Data);
        e.Forward([0]);
        e.Backward(new NdArray<double>([5, 6], 1, 2));
        Assert.Equal(5.0, e.Weight.Grad[0, 0]);
        Assert.Equal(101.0, e.Weight.Grad[1, 0]);
    }

    [Fact]
    public void PaddingRowStartsZeroAndGetsNoGradient()
    {
        var e = new Embedding<float>(4, 3, new Random(3), paddingIdx: -1);
        Assert.Equal(3, e.PaddingIdx);
        Assert.All(Enumerable.Range(0, 3), j => Assert.Equal(0f, e.Weight.Value[3, j]));
        Assert.NotEqual(0f, e.Weight.Value[0, 0]);
        e.Forward([3, 2]);
        e.Backward(new NdArray<float>([1, 1, 1, 1, 1, 1], 2, 3));
        Assert.All(Enumerable.Range(0, 3), j => Assert.Equal(0f, e.Weight.Grad[3, j]));
        Assert.Equal(1f, e.Weight.Grad[2, 0]);
    }

    [Fact]
    public void OutOfRangeIdNamesTensorIdAndPosition()
    {
        var e = new Embedding<float>(10, 2, new Random(3));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => e.Forward([1, 2, 3, 4, 10, 5], [2, 3]));
        Assert.Contains("'ids'", ex.Message);
        Assert.Contains("token id 10", ex.Message);
        Assert.Contains("(1, 1)", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Forward([-1]));
    }

    [Fact]
    public void InitializationIsStandardNormalAndSeeded()
    {
        var a = new Embedding<double>(200, 50, new Random(7));
        var b = new Embedding<double>(200, 50, new Random(7));
        Assert.Equal(a.Weight.Value.Data, b.Weight.Value.Data);
        double mean = a.Weight.Value.Data.Average();
        double variance = a.Weight.Value.Data.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(variance, 0.93, 1.07);
        Assert.Equal("weight", a.Parameters.Single().Name);
    }

    [Fact]
    public void ReuseOutputsGivesTheDefaultNumbersAndOverwritesItsOutput()
    {
        var fresh = new Embedding<float>(7, 5, new Random(4), paddingIdx: 2);
        var reusing = new Embedding<float>(7, 5, new Random(4), paddingIdx: 2) { ReuseOutputs = true };
        int[][] batches = [[1, 2, 6, 1, 0, 3], [5, 5, 2, 4, 1, 6]];
        NdArray<float>? first = null;
        foreach (int[] ids in batches)
        {
            NdArray<float> expected = fresh.Forward(ids, [2, 3]);
            NdArray<float> actual = reusing.Forward(ids, [2, 3]);
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(expected.Data, actual.Data);
            first ??= actual;
            Assert.Same(first, actual);
            var upstream = Init.Normal(NdArray<float>.Zeros(2, 3, 5), 0, 1, new Random(ids[0]));
            fresh.Backward(upstream);
            reusing.Backward(upstream);
            Assert.Equal(fresh.Weight.Grad.Data, reusing.Weight.Grad.Data);
        }
        Assert.NotSame(fresh.Forward([1], [1]), fresh.Forward([1], [1]));
        // A new shape gets a new array; the 1-D overload works in reuse mode too.
        Assert.Equal([3, 5], reusing.Forward([0, 1, 2]).Shape);
    }

    [Fact]
    public void ReuseOutputsAllocatesNothingPerStepAfterWarmUp()
    {
        var e = new Embedding<float>(65, 16, new Random(4)) { ReuseOutputs = true };
        int[] ids = Enumerable.Range(0, 40).Select(i => i * 7 % 65).ToArray();
        int[] shape = [8, 5];
        var upstream = NdArray<float>.Zeros(8, 5, 16);
        for (int i = 0; i < 3; i++) { e.Forward(ids, shape); e.Backward(upstream); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) { e.Forward(ids, shape); e.Backward(upstream); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        // The 1-D overload reuses the kept shape too (a change of shape allocates once).
        e.Forward(ids);
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) e.Forward(ids);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void BadIdLeavesThePreviousForwardInPlace()
    {
        var e = new Embedding<double>(4, 2, new Random(3));
        e.Forward([1, 3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Forward([0, 9]));
        e.Backward(new NdArray<double>([1, 2, 3, 4], 2, 2));
        Assert.Equal([0, 0, 1, 2, 0, 0, 3, 4], e.Weight.Grad.Data);
        var ex = Assert.Throws<ArgumentException>(() => e.Backward(NdArray<double>.Zeros(2, 3)));
        Assert.Contains("'grad_output'", ex.Message);
        Assert.Contains("(2, 2)", ex.Message);
    }
}

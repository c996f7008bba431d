using System.Numerics.Tensors;
using Workbench.Recurrent;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>
/// The fused gate passes must give the same bits as the separate TensorPrimitives calls they replaced, on vector
/// bodies and scalar tails alike (H = 3, 8, 37), so fusing never changes a trained model.
/// </summary>
public class GateKernelsTests
{
    private static float[] Row(Random random, int length, double low = -1, double high = 1)
    {
        var row = new float[length];
        for (int i = 0; i < length; i++) row[i] = (float)(low + (high - low) * random.NextDouble());
        return row;
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(8, false)]
    [InlineData(37, true)]
    [InlineData(37, false)]
    public void BlendAndResetCandidateMatchTheSeparateCalls(int h, bool zWeighsPrevious)
    {
        var random = new Random(h);
        float[] z = Row(random, h, 0, 1), candidate = Row(random, h), hPrev = Row(random, h), reset = Row(random, h, 0, 1), recurrent = Row(random, h);

        var expected = new float[h];
        var oneMinusZ = new float[h];
        TensorPrimitives.Subtract(1f, z, oneMinusZ);
        TensorPrimitives.Multiply(zWeighsPrevious ? oneMinusZ : z, candidate, expected);
        TensorPrimitives.MultiplyAdd(zWeighsPrevious ? z : oneMinusZ, hPrev, expected, expected);
        var actual = new float[h];
        GateKernels.Blend<float>(z, candidate, hPrev, actual, zWeighsPrevious);
        Assert.Equal(expected, actual);

        float[] expectedCandidate = (float[])candidate.Clone(), actualCandidate = (float[])candidate.Clone();
        TensorPrimitives.MultiplyAdd(reset, recurrent, expectedCandidate, expectedCandidate);
        var hn = new float[h];
        GateKernels.ResetCandidate<float>(reset, recurrent, hn, actualCandidate);
        Assert.Equal(expectedCandidate, actualCandidate);
        Assert.Equal(recurrent, hn);
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(8, false)]
    [InlineData(37, true)]
    [InlineData(37, false)]
    public void GruResetAfterBackwardMatchesTheSeparateCalls(int h, bool zWeighsPrevious)
    {
        var random = new Random(100 + h);
        float[] gates = [.. Row(random, 2 * h, 0, 1), .. Row(random, h)], hPrev = Row(random, h), hn = Row(random, h), dh = Row(random, h);
        ReadOnlySpan<float> r = gates.AsSpan(0, h), z = gates.AsSpan(h, h), n = gates.AsSpan(2 * h, h);
        var tmp = new float[h];
        var expectedIh = new float[3 * h];
        var expectedHh = new float[3 * h];
        float[] expectedDh = (float[])dh.Clone();
        Span<float> gr = expectedIh.AsSpan(0, h), gz = expectedIh.AsSpan(h, h), gn = expectedIh.AsSpan(2 * h, h);
        if (zWeighsPrevious) { TensorPrimitives.Subtract(1f, z, tmp); TensorPrimitives.Multiply(dh, tmp, gn); }
        else TensorPrimitives.Multiply(dh, z, gn);
        TensorPrimitives.Multiply(n, n, tmp);
        TensorPrimitives.Subtract(1f, tmp, tmp);
        TensorPrimitives.Multiply(gn, tmp, gn);
        if (zWeighsPrevious) TensorPrimitives.Subtract(hPrev, n, tmp);
        else TensorPrimitives.Subtract(n, hPrev, tmp);
        TensorPrimitives.Multiply(dh, tmp, gz);
        SigmoidDerivative(z, gz, tmp);
        TensorPrimitives.Multiply(gn, hn, gr);
        SigmoidDerivative(r, gr, tmp);
        expectedIh.AsSpan(0, 2 * h).CopyTo(expectedHh);
        TensorPrimitives.Multiply(gn, r, expectedHh.AsSpan(2 * h, h));
        if (zWeighsPrevious) TensorPrimitives.Multiply(expectedDh, z, expectedDh);
        else { TensorPrimitives.Subtract(1f, z, tmp); TensorPrimitives.Multiply(expectedDh, tmp, expectedDh); }

        var actualIh = new float[3 * h];
        var actualHh = new float[3 * h];
        float[] actualDh = (float[])dh.Clone();
        GateKernels.GruResetAfterBackward<float>(gates, hPrev, hn, actualDh, actualIh, actualHh, zWeighsPrevious);
        Assert.Equal(expectedIh, actualIh);
        Assert.Equal(expectedHh, actualHh);
        Assert.Equal(expectedDh, actualDh);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(37)]
    public void LstmBackwardMatchesTheSeparateCalls(int h)
    {
        var random = new Random(200 + h);
        float[] gates = [.. Row(random, 2 * h, 0, 1), .. Row(random, h), .. Row(random, h, 0, 1)];
        float[] tanhCell = Row(random, h), cellPrev = Row(random, h), dh = Row(random, h), dc = Row(random, h);
        ReadOnlySpan<float> i = gates.AsSpan(0, h), f = gates.AsSpan(h, h), g = gates.AsSpan(2 * h, h), o = gates.AsSpan(3 * h, h);
        var tmp = new float[h];
        var expected = new float[4 * h];
        float[] expectedDc = (float[])dc.Clone();
        Span<float> di = expected.AsSpan(0, h), df = expected.AsSpan(h, h), dg = expected.AsSpan(2 * h, h), dout = expected.AsSpan(3 * h, h);
        TensorPrimitives.Multiply(tanhCell, tanhCell, tmp);
        TensorPrimitives.Subtract(1f, tmp, tmp);
        TensorPrimitives.Multiply(tmp, o, tmp);
        TensorPrimitives.MultiplyAdd(dh, tmp, expectedDc, expectedDc);
        TensorPrimitives.Multiply(dh, tanhCell, dout);
        SigmoidDerivative(o, dout, tmp);
        TensorPrimitives.Multiply(expectedDc, g, di);
        SigmoidDerivative(i, di, tmp);
        TensorPrimitives.Multiply(expectedDc, cellPrev, df);
        SigmoidDerivative(f, df, tmp);
        TensorPrimitives.Multiply(expectedDc, i, dg);
        TensorPrimitives.Multiply(g, g, tmp);
        TensorPrimitives.Subtract(1f, tmp, tmp);
        TensorPrimitives.Multiply(dg, tmp, dg);
        TensorPrimitives.Multiply(expectedDc, f, expectedDc);

        var actual = new float[4 * h];
        float[] actualDc = (float[])dc.Clone();
        GateKernels.LstmBackward<float>(gates, tanhCell, cellPrev, dh, actualDc, actual);
        Assert.Equal(expected, actual);
        Assert.Equal(expectedDc, actualDc);
    }

    private static void SigmoidDerivative(ReadOnlySpan<float> s, Span<float> grad, Span<float> tmp)
    {
        TensorPrimitives.Subtract(1f, s, tmp);
        TensorPrimitives.Multiply(tmp, s, tmp);
        TensorPrimitives.Multiply(grad, tmp, grad);
    }
}

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

    [Fact]
    public void StepVectorsReadTheSequenceAtStepAndBatchEntry()
    {
        // (T = 2, B = 3, features = 4) holding 100t + 10b + f, so each read names its own position.
        var a = new NdArray<double>(new double[24], 2, 3, 4);
        for (int t = 0; t < 2; t++)
            for (int b = 0; b < 3; b++)
                for (int f = 0; f < 4; f++) a[t, b, f] = 100 * t + 10 * b + f;
        Assert.Equal(new double[] { 120, 121, 122, 123 }, a.StepVector(1, 2).ToArray());
        Assert.Equal(new double[] { 0, 1, 2, 3 }, a.StepVector(0).ToArray());
        Assert.Equal(new double[] { 111, 112 }, a.StepBlock(1, 1, 2, b: 1).ToArray());
        a.StepVector(0)[0] = -1;   // a copy: writing to it leaves the array alone
        Assert.Equal(0, a[0, 0, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.StepVector(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.StepVector(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.StepBlock(0, 3, 2));
        Assert.Throws<InvalidOperationException>(() => new NdArray<double>([1, 2], 2).StepVector(0));
    }

    [Fact]
    public void FromStepsStacksVectorsIntoOneSequenceAndStepVectorReadsThemBack()
    {
        var steps = new[] { new double[] { 1, 2, 3 }, new double[] { 4, 5, 6 } }
            .Select(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray).ToList();
        var sequence = NdArray<double>.FromSteps(steps);
        Assert.Equal(new[] { 2, 1, 3 }, sequence.Shape);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, sequence.Data);
        Assert.Equal(steps[1], sequence.StepVector(1));
        var ragged = new[] { steps[0], MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(2) };
        Assert.Contains("Step 1 has 2 features", Assert.Throws<ArgumentException>(() => NdArray<double>.FromSteps(ragged)).Message);
        Assert.Throws<ArgumentException>(() => NdArray<double>.FromSteps([]));
    }
}

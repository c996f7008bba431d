using Workbench.Core.Tests.Parity;
using Workbench.Losses;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Losses;

public class LossTests
{
    private static readonly Workbench.Checkpoints.SafetensorsFile Fixture = PyTorchFixtures.Load("layers.safetensors");

    private static int[] Targets(string name) => Fixture.GetInt64(name).Select(v => (int)v).ToArray();

    [Fact]
    public void CrossEntropyMatchesTorchWithDefaultIgnoreIndex()
    {
        // Row 3 has logits shifted by +1000: only a max-subtracted logsumexp survives that.
        var result = CrossEntropyLoss.Compute(Fixture.GetArray<double>("ce.logits"), Targets("ce.targets"));
        Assert.Equal(Fixture.GetArray<double>("ce.loss").Data[0], result.Loss, 1e-12);
        Assert.Equal(4, result.Count);
        PyTorchFixtures.AssertClose(Fixture.GetArray<double>("ce.grad.logits"), result.Gradient, 1e-12, "ce grad");
    }

    [Fact]
    public void CrossEntropyMatchesTorchWithPaddingIgnoreIndexInFloat()
    {
        var result = CrossEntropyLoss.Compute(Fixture.GetArray<float>("ce.logits"), Targets("ce_pad.targets"), ignoreIndex: 3);
        Assert.Equal(Fixture.GetArray<double>("ce_pad.loss").Data[0], result.Loss, 1e-4);
        PyTorchFixtures.AssertClose(Fixture.GetArray<double>("ce_pad.grad.logits"), result.Gradient, 1e-6, "ce grad");
        Assert.All(Enumerable.Range(0, 5), j => Assert.Equal(0f, result.Gradient[2, j]));
    }

    [Fact]
    public void CrossEntropyGradientMatchesFiniteDifferences()
    {
        var logits = Workbench.Layers.Init.Normal(NdArray<double>.Zeros(4, 6), 0, 2, new Random(8));
        int[] targets = [5, 0, -100, 2];
        var result = CrossEntropyLoss.Compute(logits, targets);
        for (int i = 0; i < logits.Length; i++)
        {
            double keep = logits.Data[i];
            logits.Data[i] = keep + 1e-6; double up = CrossEntropyLoss.Compute(logits, targets).Loss;
            logits.Data[i] = keep - 1e-6; double down = CrossEntropyLoss.Compute(logits, targets).Loss;
            logits.Data[i] = keep;
            Assert.Equal((up - down) / 2e-6, result.Gradient.Data[i], 1e-8);
        }
    }

    [Fact]
    public void AllIgnoredGivesNaNLikeTorchAndZeroGradient()
    {
        var result = CrossEntropyLoss.Compute(NdArray<float>.Zeros(2, 3), [-100, -100]);
        Assert.True(float.IsNaN(result.Loss));
        Assert.All(result.Gradient.Data, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void TargetOutOfRangeNamesIndexAndPosition()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropyLoss.Compute(NdArray<float>.Zeros(3, 4), [0, 1, 4]));
        Assert.Contains("class index 4", ex.Message);
        Assert.Contains("(2,)", ex.Message);
        Assert.Throws<ArgumentException>(() => CrossEntropyLoss.Compute(NdArray<float>.Zeros(3, 4), [0, 1]));
    }

    [Fact]
    public void MseMatchesTorch()
    {
        var result = MseLoss.Compute(Fixture.GetArray<double>("mse.input"), Fixture.GetArray<double>("mse.target"));
        Assert.Equal(Fixture.GetArray<double>("mse.loss").Data[0], result.Loss, 1e-12);
        PyTorchFixtures.AssertClose(Fixture.GetArray<double>("mse.grad.input"), result.Gradient, 1e-12, "mse grad");
        Assert.Throws<ArgumentException>(() => MseLoss.Compute(NdArray<double>.Zeros(2, 3), NdArray<double>.Zeros(3, 2)));
    }

    [Fact]
    public void CrossEntropyIntoABufferGivesTheSameNumbersEvenInPlace()
    {
        var logits = Fixture.GetArray<double>("ce.logits");
        int[] targets = Targets("ce_pad.targets");
        LossResult<double> expected = CrossEntropyLoss.Compute(logits, targets, ignoreIndex: 3);
        // A buffer full of stale values: every element (ignored rows too) must be overwritten.
        var gradient = new NdArray<double>(Enumerable.Repeat(double.NaN, logits.Length).ToArray(), logits.Shape);
        double loss = CrossEntropyLoss.Compute(logits, targets, gradient, out int count, ignoreIndex: 3);
        Assert.Equal(expected.Loss, loss);
        Assert.Equal(expected.Count, count);
        Assert.Equal(expected.Gradient.Data, gradient.Data);
        var inPlace = logits.Clone();
        Assert.Equal(expected.Loss, CrossEntropyLoss.Compute(inPlace, targets, inPlace, out _, ignoreIndex: 3));
        Assert.Equal(expected.Gradient.Data, inPlace.Data);
        var ex = Assert.Throws<ArgumentException>(() => CrossEntropyLoss.Compute(logits, targets, NdArray<double>.Zeros(logits.Shape[1], logits.Shape[0]), out _));
        Assert.Contains("'gradient'", ex.Message);
    }

    [Fact]
    public void CrossEntropyIntoABufferAllocatesNothingAfterWarmUp()
    {
        var logits = Workbench.Layers.Init.Normal(NdArray<float>.Zeros(50, 65), 0, 3, new Random(2));
        int[] targets = Enumerable.Range(0, 50).Select(i => i % 65).ToArray();
        var gradient = NdArray<float>.Zeros(50, 65);
        for (int i = 0; i < 3; i++) CrossEntropyLoss.Compute(logits, targets, gradient, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        float loss = 0;
        for (int i = 0; i < 10; i++) loss += CrossEntropyLoss.Compute(logits, targets, gradient, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(loss > 0);
        // Each gradient row is softmax − onehot scaled by 1/n: it sums to zero.
        Assert.All(Enumerable.Range(0, 50), r => Assert.Equal(0f, gradient.Data.AsSpan(r * 65, 65).ToArray().Sum(), 1e-6f));
    }

    [Fact]
    public void MseIntoABufferGivesTheSameNumbersAndAllocatesNothing()
    {
        var input = Fixture.GetArray<double>("mse.input");
        var target = Fixture.GetArray<double>("mse.target");
        LossResult<double> expected = MseLoss.Compute(input, target);
        var gradient = NdArray<double>.Zeros(input.Shape);
        Assert.Equal(expected.Loss, MseLoss.Compute(input, target, gradient));
        Assert.Equal(expected.Gradient.Data, gradient.Data);
        for (int i = 0; i < 3; i++) MseLoss.Compute(input, target, gradient);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) MseLoss.Compute(input, target, gradient);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Throws<ArgumentException>(() => MseLoss.Compute(input, target, NdArray<double>.Zeros(input.Length + 1)));
    }
}

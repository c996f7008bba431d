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
}

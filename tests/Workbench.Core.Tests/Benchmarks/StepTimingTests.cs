using Workbench.Benchmarks;
using Workbench.Recurrent;

namespace Workbench.Core.Tests.Benchmarks;

/// <summary>What StepTiming promises apart from the times themselves (which no test may assert).</summary>
public class StepTimingTests
{
    [Fact]
    public void GivesOneFinitePositiveTimePerLayerAndLeavesNoGradient()
    {
        var layers = new[] { RecurrentKind.RnnTanh, RecurrentKind.Lstm, RecurrentKind.Gru }
            .Select(k => new RecurrentLayer<float>(new RecurrentLayerOptions(k, 3, 4) { Seed = 1 })).ToArray();
        double[] us = StepTiming.FastestMicrosecondsPerStep(layers, steps: 2, batch: 2, repeats: 2);
        Assert.Equal(3, us.Length);
        Assert.All(us, v => Assert.True(double.IsFinite(v) && v > 0));
        Assert.All(layers.SelectMany(l => l.Parameters), p => Assert.All(p.Grad.Data, g => Assert.Equal(0f, g)));
    }

    [Fact]
    public void RefusesEmptyRuns()
    {
        var layer = new RecurrentLayer<float>(new RecurrentLayerOptions(RecurrentKind.Gru, 3, 4));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => StepTiming.FastestMicrosecondsPerStep([layer], 0, 2, 2));
        Assert.Contains("steps, batch and repeats", e.Message);
    }
}

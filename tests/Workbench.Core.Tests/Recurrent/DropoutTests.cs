using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>
/// Dropout between stacked layers: identity in eval and at p = 0, masks from the layer's own seeded stream (the
/// same bits on one or two threads), the right frequency and scale. Parity with torch: RecurrentOptionsParityTests.
/// </summary>
public class DropoutTests
{
    private static List<NdArray<double>> Run(RecurrentLayer<double> layer, int seed = 4)
    {
        var random = new Random(seed);
        bool lstm = layer.Options.Kind == RecurrentKind.Lstm;
        int LD = layer.NumLayers * layer.NumDirections, H = layer.HiddenSize;
        var x = Random<double>(random, 5, 3, layer.InputSize);
        var h0 = Random<double>(random, LD, 3, H);
        var c0 = lstm ? Random<double>(random, LD, 3, H) : null;
        var output = layer.Forward(x, [5, 2, 4], h0, c0);
        layer.ZeroGrad();
        var grads = layer.Backward(Random<double>(random, 5, 3, layer.OutputSize), Random<double>(random, LD, 3, H),
            lstm ? Random<double>(random, LD, 3, H) : null);
        return Everything(layer, output, grads);
    }

    private static void AllBitwiseEqual(List<NdArray<double>> expected, List<NdArray<double>> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) AssertBitwiseEqual(expected[i], actual[i]);
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru-after")]
    [InlineData("rnn-relu")]
    public void EvalAndZeroDropoutAreTheLayerWithoutDropout(string kind)
    {
        var options = Options(kind, 3, 4, layers: 3, bidirectional: true);
        var plain = Run(new RecurrentLayer<double>(options));
        AllBitwiseEqual(plain, Run(new RecurrentLayer<double>(options with { Dropout = 0.6 }) { Training = false }));
        AllBitwiseEqual(plain, Run(new RecurrentLayer<double>(options with { Dropout = 0 }) { Training = true }));
        // And training with p > 0 does change the result.
        var dropped = Run(new RecurrentLayer<double>(options with { Dropout = 0.6 }));
        Assert.NotEqual(plain[0].Data, dropped[0].Data);
    }

    [Fact]
    public void OnlyOutputsBelowTheTopAreDropped()
    {
        // One layer: nothing to drop (torch warns); the top layer's output, h_n and the input are never dropped.
        var options = Options("lstm", 3, 4, layers: 1, bidirectional: true);
        AllBitwiseEqual(Run(new RecurrentLayer<double>(options)), Run(new RecurrentLayer<double>(options with { Dropout = 0.5 })));
        // Two layers: layer 0's h_n is the same as without dropout (its output is dropped after its own recurrence).
        var two = Options("gru-after", 3, 4, layers: 2, bidirectional: true);
        var plain = Run(new RecurrentLayer<double>(two));
        var dropped = Run(new RecurrentLayer<double>(two with { Dropout = 0.5 }));
        Assert.Equal(plain[1].Data.AsSpan(0, 2 * 3 * 4).ToArray(), dropped[1].Data.AsSpan(0, 2 * 3 * 4).ToArray());
        Assert.NotEqual(plain[1].Data.AsSpan(2 * 3 * 4).ToArray(), dropped[1].Data.AsSpan(2 * 3 * 4).ToArray());
    }

    [Fact]
    public void MasksDropAboutPAndScaleTheRestByTheInverseKeepRate()
    {
        const double p = 0.3;
        var layer = new RecurrentLayer<float>(new RecurrentLayerOptions(RecurrentKind.Gru, 4, 32) { NumLayers = 2, Bidirectional = true, Dropout = p, Seed = 3 });
        var x = Random<float>(new Random(1), 50, 8, 4);
        layer.Forward(x);
        NdArray<float> mask = layer.DropoutMask(0);
        Assert.Equal([50, 8, 64], mask.Shape);
        float scale = (float)(1 / (1 - p));
        Assert.All(mask.Data, m => Assert.True(m == 0f || m == scale, $"mask value {m}"));
        int n = mask.Length, zeros = mask.Data.Count(m => m == 0f);
        double sigma = Math.Sqrt(p * (1 - p) / n);   // 0.0029 for 25 600 draws
        Assert.InRange(zeros / (double)n, p - 5 * sigma, p + 5 * sigma);

        // The next Forward draws a new mask; restarting the stream gives the first one again.
        layer.Forward(x);
        Assert.NotEqual(mask.Data, layer.DropoutMask(0).Data);
        layer.SeedDropout(3);
        layer.Forward(x);
        Assert.Equal(mask.Data, layer.DropoutMask(0).Data);
    }

    [Fact]
    public void SameSeedSameMasksAcrossLayersAndLayouts()
    {
        var options = new RecurrentLayerOptions(RecurrentKind.Lstm, 3, 5) { NumLayers = 3, Dropout = 0.5, Seed = 12 };
        var x = Random<double>(new Random(2), 4, 3, 3);
        var a = new RecurrentLayer<double>(options);
        var b = new RecurrentLayer<double>(options with { BatchFirst = true });
        a.Forward(x);
        b.Forward(BatchFirstTests.Transpose01(x));
        for (int l = 0; l < 2; l++) AssertBitwiseEqual(a.DropoutMask(l), b.DropoutMask(l));
        Assert.NotEqual(a.DropoutMask(0).Data, a.DropoutMask(1).Data);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void DropoutOutsideZeroToOneIsRejected(double p)
    {
        var ex = Assert.Throws<ArgumentException>(() => new RecurrentLayer<float>(new RecurrentLayerOptions(RecurrentKind.Lstm, 2, 3) { NumLayers = 2, Dropout = p }));
        Assert.Contains("Dropout must be in [0, 1)", ex.Message);
    }
}

using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>
/// GradientFlow.ByDistance against independent computations: the whole run's gradient for its initial state (the
/// longest distance), and central finite differences of L(h_t) = w·h_T at a middle distance.
/// </summary>
public class GradientFlowTests
{
    public static TheoryData<string> Kinds() => new("rnn-tanh", "lstm", "gru-after", "gru-before-seeds");

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TheLongestDistanceIsTheWholeRunsInitialStateGradient(string kind)
    {
        var random = new Random(3);
        var layer = new RecurrentLayer<double>(Options(kind, 3, 5));
        var x = Random<double>(random, 7, 2, 3);
        var w = Random<double>(random, 1, 2, 5);
        GradientFlowCurve curve = GradientFlow.ByDistance(layer, x, w);
        Assert.All(layer.Parameters, p => Assert.All(p.Grad.Data, v => Assert.Equal(0.0, v)));

        layer.Forward(x);
        var g = layer.Backward(NdArray<double>.Zeros(7, 2, 5), gradHn: w,
            gradCn: kind == "lstm" ? NdArray<double>.Zeros(1, 2, 5) : null);
        Assert.Equal(8, curve.Hidden.Length);
        Assert.Equal(MeanNorm(g.H0.Data, 2, 5), curve.Hidden[7], 12);
        Assert.Equal(MeanNorm(w.Data, 2, 5), curve.Hidden[0], 12);
        if (kind == "lstm") Assert.Equal(MeanNorm(g.C0!.Data, 2, 5), curve.Cell![7], 12);
        else Assert.Null(curve.Cell);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AMiddleDistanceMatchesFiniteDifferences(string kind)
    {
        // One sequence, so the mean norm is the norm of the one gradient vector. Central differences with step 1e-6 on
        // a smooth function of values of order 1: truncation and rounding both near 1e-10, so 1e-7 relative is safe.
        var random = new Random(4);
        const int T = 6, t = 2, H = 4;
        var layer = new RecurrentLayer<double>(Options(kind, 3, H));
        var x = Random<double>(random, T, 1, 3);
        var w = Random<double>(random, 1, 1, H);
        double measured = GradientFlow.ByDistance(layer, x, w).Hidden[T - t];

        var head = new NdArray<double>(x.Data[..(t * 3)], t, 1, 3);
        var tail = new NdArray<double>(x.Data[(t * 3)..], T - t, 1, 3);
        var prefix = layer.Forward(head);
        double Loss(NdArray<double> h)
        {
            var hn = layer.Forward(tail, h0: h, c0: prefix.Cn).Hn;
            return hn.Data.Zip(w.Data, (a, b) => a * b).Sum();
        }
        double squares = 0;
        for (int j = 0; j < H; j++)
        {
            var plus = prefix.Hn.Clone();
            var minus = prefix.Hn.Clone();
            plus.Data[j] += 1e-6;
            minus.Data[j] -= 1e-6;
            double d = (Loss(plus) - Loss(minus)) / 2e-6;
            squares += d * d;
        }
        Assert.True(Math.Abs(Math.Sqrt(squares) - measured) <= 1e-7 * measured, $"{kind}: {Math.Sqrt(squares)} vs {measured}");
    }

    [Fact]
    public void DecayPerStepIsTheGeometricMeanFactor()
    {
        var curve = new GradientFlowCurve([1, 0.5, 0.25, 0.125], null);
        Assert.Equal(0.5, curve.HiddenDecayPerStep(1, 3), 14);
        Assert.Equal(0.125, curve.HiddenRatio(3));
        Assert.Throws<InvalidOperationException>(() => curve.CellDecayPerStep(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => curve.HiddenDecayPerStep(2, 2));
    }

    [Fact]
    public void ABidirectionalLayerOrAWrongInputIsRefusedByName()
    {
        var bi = new RecurrentLayer<double>(Options("gru-after", 3, 4, bidirectional: true));
        var e = Assert.Throws<ArgumentException>(() => GradientFlow.ByDistance(bi, NdArray<double>.Zeros(2, 1, 3), NdArray<double>.Zeros(1, 1, 4)));
        Assert.Contains("directions", e.Message);
        var one = new RecurrentLayer<double>(Options("gru-after", 3, 4));
        e = Assert.Throws<ArgumentException>(() => GradientFlow.ByDistance(one, NdArray<double>.Zeros(2, 1, 5), NdArray<double>.Zeros(1, 1, 4)));
        Assert.Contains("(T ≥ 1, B, 3)", e.Message);
    }

    private static double MeanNorm(double[] data, int batch, int hidden) =>
        Enumerable.Range(0, batch).Average(b => Math.Sqrt(Enumerable.Range(0, hidden).Sum(j => data[b * hidden + j] * data[b * hidden + j])));
}

using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>
/// The trainable cell modules against the one-layer recurrent layer (same weights: the same outputs and gradients
/// over a loop), their parameter names, and their errors. Parity with torch: RecurrentCellParityTests.
/// </summary>
public class RecurrentCellLayerTests
{
    private static RecurrentCellLayer<double> CellFor(string kind, int input, int hidden, bool bias, int seed) => kind switch
    {
        "rnn-tanh" => new RnnCellLayer<double>(input, hidden, bias, RnnNonlinearity.Tanh, seed),
        "rnn-relu" => new RnnCellLayer<double>(input, hidden, bias, RnnNonlinearity.Relu, seed),
        "gru-after" => new GruCellLayer<double>(input, hidden, bias, seed),
        _ => new LstmCellLayer<double>(input, hidden, bias, seed),
    };

    [Theory]
    [InlineData("rnn-tanh", true)]
    [InlineData("rnn-relu", false)]
    [InlineData("gru-after", true)]
    [InlineData("gru-after", false)]
    [InlineData("lstm", true)]
    public void ALoopOfStepsIsTheOneLayerRecurrentLayer(string kind, bool bias)
    {
        const int steps = 5, batch = 3, input = 4, hidden = 6;
        var layer = new RecurrentLayer<double>(Options(kind, input, hidden, bias: bias, seed: 17));
        var cell = CellFor(kind, input, hidden, bias, seed: 17);
        // The same seed draws the same weights, under names without _l0.
        Assert.Equal(layer.Parameters.Select(p => p.Name.Replace("_l0", "")), cell.Parameters.Select(p => p.Name));
        for (int i = 0; i < cell.Parameters.Count; i++) Assert.Equal(layer.Parameters[i].Value.Data, cell.Parameters[i].Value.Data);

        var random = new Random(5);
        bool lstm = kind == "lstm";
        var x = Random<double>(random, steps, batch, input);
        var h0 = Random<double>(random, 1, batch, hidden);
        var c0 = lstm ? Random<double>(random, 1, batch, hidden) : null;
        var gradOutput = Random<double>(random, steps, batch, hidden);
        var expected = layer.Forward(x, null, h0, c0);
        var expectedGrads = layer.Backward(gradOutput);

        NdArray<double> Step(NdArray<double> all, int t)
        {
            var s = NdArray<double>.Zeros(all.Shape[1], all.Shape[2]);
            all.Data.AsSpan(t * s.Length, s.Length).CopyTo(s.Data);
            return s;
        }
        NdArray<double> h = Step(h0, 0);
        NdArray<double>? c = c0 is null ? null : Step(c0, 0);
        for (int t = 0; t < steps; t++)
        {
            if (cell is LstmCellLayer<double> l) (h, c) = l.Forward(Step(x, t), h, c);
            else if (cell is GruCellLayer<double> g) h = g.Forward(Step(x, t), h);
            else h = ((RnnCellLayer<double>)cell).Forward(Step(x, t), h);
            AssertNear(Step(expected.Output, t), h);
        }
        var dh = NdArray<double>.Zeros(batch, hidden);
        NdArray<double>? dc = null;
        for (int t = steps - 1; t >= 0; t--)
        {
            var gradH = Step(gradOutput, t);
            for (int i = 0; i < gradH.Length; i++) gradH.Data[i] += dh.Data[i];
            var grads = cell switch
            {
                LstmCellLayer<double> l => l.Backward(gradH, dc),
                GruCellLayer<double> g => g.Backward(gradH),
                _ => ((RnnCellLayer<double>)cell).Backward(gradH),
            };
            AssertNear(Step(expectedGrads.Input, t), grads.Input);
            (dh, dc) = (grads.H, grads.C);
        }
        AssertNear(Step(expectedGrads.H0, 0), dh);
        if (lstm) AssertNear(Step(expectedGrads.C0!, 0), dc!);
        for (int i = 0; i < cell.Parameters.Count; i++) AssertNear(layer.Parameters[i].Grad, cell.Parameters[i].Grad);
    }

    private static void AssertNear(NdArray<double> expected, NdArray<double> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected.Data[i] - actual.Data[i]) <= 1e-12 * (1 + Math.Abs(expected.Data[i])),
                $"element {i}: {actual.Data[i]:R}, expected {expected.Data[i]:R}");
    }

    [Fact]
    public void ParametersHaveTorchsCellNames()
    {
        Assert.Equal(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], new LstmCellLayer<float>(3, 5).Parameters.Select(p => p.Name));
        Assert.Equal([20, 3], new LstmCellLayer<float>(3, 5).WeightIh.Value.Shape);
        Assert.Equal([15, 5], new GruCellLayer<float>(3, 5).WeightHh.Value.Shape);
        Assert.Equal(["weight_ih", "weight_hh"], new RnnCellLayer<float>(3, 5, bias: false).Parameters.Select(p => p.Name));
        Assert.Null(new GruCellLayer<float>(3, 5, bias: false).BiasIh);
        Assert.Equal("RNNCell(3, 5, bias=True, nonlinearity=relu)", new RnnCellLayer<float>(3, 5, nonlinearity: RnnNonlinearity.Relu).ToString());
    }

    [Fact]
    public void TheTapeHoldsTrainingStepsOnly()
    {
        var cell = new GruCellLayer<float>(2, 3);
        var x = NdArray<float>.Zeros(4, 2);
        var ex = Assert.Throws<InvalidOperationException>(() => cell.Backward(NdArray<float>.Zeros(4, 3)));
        Assert.Contains("GruCellLayer.Backward has no step", ex.Message);
        cell.Forward(x);
        cell.Forward(x);
        Assert.Equal(2, cell.PendingSteps);
        cell.ClearSteps();
        Assert.Equal(0, cell.PendingSteps);
        cell.Training = false;
        cell.Forward(x);
        Assert.Equal(0, cell.PendingSteps);
        Assert.Contains("Training is false", Assert.Throws<InvalidOperationException>(() => cell.Backward(NdArray<float>.Zeros(4, 3))).Message);
    }

    [Fact]
    public void BadShapesAreNamed()
    {
        var cell = new LstmCellLayer<float>(2, 3);
        Assert.Contains("Tensor 'input' has shape (4, 3), expected (B, 2)", Assert.Throws<ArgumentException>(() => cell.Forward(NdArray<float>.Zeros(4, 3))).Message);
        Assert.Contains("Tensor 'c' has shape (4, 2), expected (4, 3)", Assert.Throws<ArgumentException>(() => cell.Forward(NdArray<float>.Zeros(4, 2), null, NdArray<float>.Zeros(4, 2))).Message);
        cell.Forward(NdArray<float>.Zeros(4, 2));
        Assert.Contains("Tensor 'gradH'", Assert.Throws<ArgumentException>(() => cell.Backward(NdArray<float>.Zeros(3, 3))).Message);
        Assert.Equal(1, cell.PendingSteps);   // a rejected gradient leaves the step on the tape
        var bad = NdArray<float>.Zeros(4, 2);
        bad.Data[3] = float.NaN;
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => cell.Forward(bad)).Message);
        Assert.Throws<ArgumentException>(() => new RnnCellLayer<float>(0, 3));
    }
}

using Workbench.Data;
using Workbench.Losses;
using Workbench.Models;
using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>
/// The projected LSTM (<see cref="RecurrentLayerOptions.ProjectionSize"/>, PyTorch's proj_size): option checks,
/// parameters and shapes as torch.nn.LSTM(proj_size=P), backward against central finite differences in double,
/// float against double, side-by-side directions and a warm step that allocates nothing. Values against torch are
/// in Parity/LstmProjectionParityTests.
/// </summary>
[Collection(AllocationMeasurements.Name)]
public class LstmProjectionTests
{
    private const double Step = 1e-5;
    private const double Tolerance = 1e-6;

    private static RecurrentLayerOptions Projected(int input, int hidden, int projection, int layers = 1, bool bidirectional = false, bool bias = true, int seed = 7)
        => Options("lstm", input, hidden, layers, bidirectional, bias, seed) with { ProjectionSize = projection };

    [Theory]
    [InlineData("lstm", -1, "0 (no projection) or positive")]
    [InlineData("lstm", 4, "smaller than HiddenSize (4)")]
    [InlineData("lstm", 5, "smaller than HiddenSize (4)")]
    [InlineData("gru-after", 2, "LSTM only")]
    [InlineData("rnn-tanh", 2, "LSTM only")]
    public void InvalidProjectionSizeIsRejectedAsTorchDoes(string kind, int projection, string expected)
    {
        var options = Options(kind, 3, 4) with { ProjectionSize = projection };
        var ex = Assert.Throws<ArgumentException>(() => new RecurrentLayer<float>(options));
        Assert.Contains("ProjectionSize", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ParametersAreTorchsStateDictWithWeightHr()
    {
        var layer = new RecurrentLayer<float>(Projected(3, 5, 2, layers: 2, bidirectional: true));
        string[] expected =
        [
            "weight_ih_l0 (20, 3)", "weight_hh_l0 (20, 2)", "bias_ih_l0 (20)", "bias_hh_l0 (20)", "weight_hr_l0 (2, 5)",
            "weight_ih_l0_reverse (20, 3)", "weight_hh_l0_reverse (20, 2)", "bias_ih_l0_reverse (20)", "bias_hh_l0_reverse (20)", "weight_hr_l0_reverse (2, 5)",
            "weight_ih_l1 (20, 4)", "weight_hh_l1 (20, 2)", "bias_ih_l1 (20)", "bias_hh_l1 (20)", "weight_hr_l1 (2, 5)",
            "weight_ih_l1_reverse (20, 4)", "weight_hh_l1_reverse (20, 2)", "bias_ih_l1_reverse (20)", "bias_hh_l1_reverse (20)", "weight_hr_l1_reverse (2, 5)",
        ];
        Assert.Equal(expected, layer.Parameters.Select(p => $"{p.Name} ({string.Join(", ", p.Value.Shape)})"));
        Assert.Same(layer.GetParameter("weight_hr_l1_reverse"), layer.WeightHr(1, reverse: true));
        Assert.Null(new RecurrentLayer<float>(Options("lstm", 3, 5)).WeightHr(0));
        Assert.Equal(4, layer.OutputSize);
        Assert.Equal("LSTM(3, 5, num_layers=2, bias=True, bidirectional=True, proj_size=2)", layer.ToString());
        // U(−1/√H, 1/√H) for the projection too, as torch's reset_parameters.
        double bound = 1 / Math.Sqrt(5);
        Assert.All(layer.WeightHr(0)!.Value.Data, v => Assert.InRange(v, -bound, bound));
        Assert.Contains(layer.WeightHr(0)!.Value.Data, v => v != 0);
    }

    [Fact]
    public void ShapesAreTorchsAndStateShapesAreChecked()
    {
        var random = new Random(5);
        var layer = new RecurrentLayer<double>(Projected(3, 5, 2, layers: 2, bidirectional: true));
        var x = Random<double>(random, 6, 4, 3);
        var result = layer.Forward(x, [6, 2, 5, 1], Random<double>(random, 4, 4, 2), Random<double>(random, 4, 4, 5));
        Assert.Equal([6, 4, 4], result.Output.Shape);
        Assert.Equal([4, 4, 2], result.Hn.Shape);
        Assert.Equal([4, 4, 5], result.Cn!.Shape);
        var grads = layer.Backward(Random<double>(random, 6, 4, 4), Random<double>(random, 4, 4, 2), Random<double>(random, 4, 4, 5));
        Assert.Equal([6, 4, 3], grads.Input.Shape);
        Assert.Equal([4, 4, 2], grads.H0.Shape);
        Assert.Equal([4, 4, 5], grads.C0!.Shape);
        // The reverse direction's output at t = 0 is its final state, as for any LSTM; padded steps output zero.
        for (int b = 0; b < 4; b++)
            for (int j = 0; j < 2; j++)
                Assert.Equal(result.Hn[3, b, j], result.Output[0, b, 2 + j]);
        Assert.All(Enumerable.Range(1, 5).SelectMany(t => Enumerable.Range(0, 4).Select(j => result.Output[t, 3, j])), v => Assert.Equal(0.0, v));

        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(x, null, Random<double>(random, 4, 4, 5)));
        Assert.Contains("'h0'", ex.Message);
        Assert.Contains("(4, 4, 2)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => layer.Forward(x, null, null, Random<double>(random, 4, 4, 2)));
        Assert.Contains("'c0'", ex.Message);
        layer.Forward(x);
        ex = Assert.Throws<ArgumentException>(() => layer.Backward(Random<double>(random, 6, 4, 10)));
        Assert.Contains("'gradOutput'", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => layer.Backward(Random<double>(random, 6, 4, 4), Random<double>(random, 4, 4, 5)));
        Assert.Contains("'gradHn'", ex.Message);
    }

    [Fact]
    public void EquationLevelCellsRefuseAProjectedLayer()
    {
        var layer = new RecurrentLayer<double>(Projected(3, 4, 2));
        var ex = Assert.Throws<ArgumentException>(() => LstmCell<double>.FromLayer(layer));
        Assert.Contains("ProjectionSize = 2", ex.Message);
    }

    public static TheoryData<int, bool, bool, bool, bool> GradientConfigurations() => new()
    {
        // layers, bidirectional, lengths, bias, initial states
        { 1, false, false, true, true },
        { 2, false, false, false, false },
        { 1, true, true, false, true },
        { 2, true, true, true, true },
        { 2, true, false, true, false },
    };

    [Theory]
    [MemberData(nameof(GradientConfigurations))]
    public void BackwardMatchesFiniteDifferences(int layers, bool bidirectional, bool withLengths, bool bias, bool withStates)
    {
        var random = new Random(3);
        int steps = 4, batch = 3, input = 3, hidden = 4, projection = 2;
        var layer = new RecurrentLayer<double>(Projected(input, hidden, projection, layers, bidirectional, bias, seed: 21));
        // Larger weights than the default init make the gates and tanh work away from their linear regions.
        foreach (var p in layer.Parameters)
            for (int i = 0; i < p.Value.Length; i++) p.Value.Data[i] *= 2.5;
        int ld = layers * (bidirectional ? 2 : 1);
        var x = Random<double>(random, steps, batch, input);
        var h0 = withStates ? Random<double>(random, ld, batch, projection) : NdArray<double>.Zeros(ld, batch, projection);
        var c0 = withStates ? Random<double>(random, ld, batch, hidden) : NdArray<double>.Zeros(ld, batch, hidden);
        int[]? lengths = withLengths ? [2, 4, 1] : null;
        var w = Random<double>(random, steps, batch, layer.OutputSize);
        var v = Random<double>(random, ld, batch, projection);
        var u = Random<double>(random, ld, batch, hidden);

        double Loss()
        {
            var r = layer.Forward(x, lengths, h0, c0);
            return Dot(w, r.Output) + Dot(v, r.Hn) + Dot(u, r.Cn!);
        }

        layer.ZeroGrad();
        layer.Forward(x, lengths, withStates ? h0 : null, withStates ? c0 : null);
        var grads = layer.Backward(w, v, u);

        var checks = new List<(string Name, NdArray<double> Value, NdArray<double> Analytic)>();
        foreach (var p in layer.Parameters) checks.Add((p.Name, p.Value, p.Grad.Clone()));
        checks.Add(("input", x, grads.Input));
        checks.Add(("h0", h0, grads.H0));
        checks.Add(("c0", c0, grads.C0!));
        Assert.Equal(ld, layer.Parameters.Count(p => p.Name.StartsWith("weight_hr", StringComparison.Ordinal)));

        double worst = 0;
        string worstAt = "";
        int nonZero = 0;
        foreach (var (name, value, analytic) in checks)
        {
            for (int i = 0; i < value.Length; i++)
            {
                double saved = value.Data[i];
                value.Data[i] = saved + Step;
                double plus = Loss();
                value.Data[i] = saved - Step;
                double minus = Loss();
                value.Data[i] = saved;
                double numeric = (plus - minus) / (2 * Step);
                double a = analytic.Data[i];
                double error = Math.Abs(a - numeric) / Math.Max(1e-3, Math.Max(Math.Abs(a), Math.Abs(numeric)));
                if (Math.Abs(a) > 1e-8) nonZero++;
                if (error > worst) { worst = error; worstAt = $"{name}[{i}]: analytic {a:R}, numeric {numeric:R}"; }
            }
        }
        Assert.True(worst <= Tolerance, $"max relative error {worst:E2} at {worstAt}");
        int total = checks.Sum(c => c.Value.Length);
        Assert.True(nonZero > total / 2, $"only {nonZero} of {total} gradients are non-zero");
    }

    [Fact]
    public void FloatBackwardAgreesWithDouble()
    {
        var random = new Random(12);
        var options = Projected(3, 6, 3, layers: 2, bidirectional: true);
        var d = new RecurrentLayer<double>(options);
        var f = new RecurrentLayer<float>(options);
        var x = Random<double>(random, 5, 3, 3);
        var w = Random<double>(random, 5, 3, 6);
        var v = Random<double>(random, 4, 3, 3);
        int[] lengths = [5, 3, 2];
        var od = d.Forward(x, lengths);
        var gd = d.Backward(w, v);
        var of = f.Forward(x.Cast<float>(), lengths);
        var gf = f.Backward(w.Cast<float>(), v.Cast<float>());
        Assert.True(MaxAbsDifference(od.Output, of.Output.Cast<double>()) < 1e-6);
        Assert.True(MaxAbsDifference(gd.Input, gf.Input.Cast<double>()) < 1e-5);
        Assert.True(MaxAbsDifference(gd.H0, gf.H0.Cast<double>()) < 1e-5);
        for (int p = 0; p < d.Parameters.Count; p++)
            Assert.True(MaxAbsDifference(d.Parameters[p].Grad, f.Parameters[p].Grad.Cast<double>()) < 1e-5, d.Parameters[p].Name);
    }

    [Fact]
    public void SideBySideDirectionsGiveTheSameBitsAsSerialOnes()
    {
        var serial = RunBidirectional(serialDirections: true);
        var sideBySide = RunBidirectional(serialDirections: false);
        Assert.Equal(serial.Count, sideBySide.Count);
        for (int i = 0; i < serial.Count; i++) AssertBitwiseEqual(serial[i], sideBySide[i]);
    }

    private static List<NdArray<float>> RunBidirectional(bool serialDirections)
    {
        var random = new Random(21);
        var layer = new RecurrentLayer<float>(Projected(24, 40, 16, layers: 2, bidirectional: true));
        var x = Random<float>(random, 7, 20, 24);
        var h0 = Random<float>(random, 4, 20, 16);
        var c0 = Random<float>(random, 4, 20, 40);
        var gradOutput = Random<float>(random, 7, 20, 32);
        var gradHn = Random<float>(random, 4, 20, 16);
        var gradCn = Random<float>(random, 4, 20, 40);
        int[] lengths = Enumerable.Range(0, 20).Select(b => 1 + (b * 5) % 7).ToArray();
        bool previous = RecurrentParallelism.SerialDirections;
        RecurrentParallelism.SerialDirections = serialDirections;
        try
        {
            var output = layer.Forward(x, lengths, h0, c0);
            var grads = layer.Backward(gradOutput, gradHn, gradCn);
            return Everything(layer, output, grads);
        }
        finally
        {
            RecurrentParallelism.SerialDirections = previous;
        }
    }

    [Fact]
    public void RepeatedForwardBackwardAllocatesNothing()
    {
        var random = new Random(9);
        var layer = new RecurrentLayer<float>(Projected(5, 4, 3, layers: 2, bidirectional: true) with { ReuseOutputs = true });
        var x = Random<float>(random, 6, 3, 5);
        var gradOutput = Random<float>(random, 6, 3, 6);
        var gradHn = Random<float>(random, 4, 3, 3);
        var h0 = Random<float>(random, 4, 3, 3);
        int[] lengths = [6, 2, 4];
        layer.Forward(x, lengths, h0);
        layer.Backward(gradOutput, gradHn);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            layer.Forward(x, lengths, h0);
            layer.Backward(gradOutput, gradHn);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ClassifierReadsTheProjectedFinalStates()
    {
        // The classifier's head reads the D·P-wide final states: forward h_n next to reverse h_n of the top layer.
        var options = new SequenceModelOptions(Projected(1, 5, 2, layers: 2, bidirectional: true, seed: 2)) { EmbeddingDim = 4 };
        var model = new SequenceClassifier<double>(7, 3, options);
        var batch = TokenBatch.Create([[1, 2, 3, 4, 5], [6, 1], [2, 2, 3]], null, [0, 2, 1]);
        var logits = model.Forward(batch);
        var hn = model.Rnn.Forward(model.Embedding.Forward(batch.Tokens, [batch.Steps, batch.BatchSize]), batch.Lengths).Hn;
        var last = NdArray<double>.Zeros(3, 4);
        for (int b = 0; b < 3; b++)
            for (int j = 0; j < 2; j++)
            {
                last[b, j] = hn[2, b, j];
                last[b, 2 + j] = hn[3, b, j];
            }
        Assert.True(MaxAbsDifference(model.Head.Forward(last), logits) < 1e-14);

        // And its gradients flow back to the right rows: finite differences on every recurrent weight.
        double Loss() => CrossEntropyLoss.Compute(model.Forward(batch), batch.Labels).Loss;
        model.ZeroGrad();
        model.Backward(CrossEntropyLoss.Compute(model.Forward(batch), batch.Labels).Gradient);
        foreach (var p in model.Rnn.Parameters)
            for (int i = 0; i < p.Value.Length; i++)
            {
                double saved = p.Value.Data[i];
                p.Value.Data[i] = saved + Step;
                double up = Loss();
                p.Value.Data[i] = saved - Step;
                double down = Loss();
                p.Value.Data[i] = saved;
                double numeric = (up - down) / (2 * Step), analytic = p.Grad.Data[i];
                Assert.True(Math.Abs(numeric - analytic) <= 1e-8 + 1e-5 * Math.Abs(numeric), $"{p.Name}[{i}]: analytic {analytic}, numeric {numeric}");
            }
    }

    private static double Dot(NdArray<double> a, NdArray<double> b)
    {
        Assert.Equal(a.Shape, b.Shape);
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a.Data[i] * b.Data[i];
        return sum;
    }
}

using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>
/// The fused float LSTM step (<see cref="LstmFusedStep"/>) at every SIMD width this machine runs, against the double
/// layer (the unfused step in double precision), bit for bit across thread counts and row tiles, and its activations
/// against Math.
/// </summary>
public class FusedLstmStepTests
{
    // Widths by name (FusedLanes is internal): those this machine runs, with and without the unfused step.
    public static TheoryData<string> Widths() => WidthsOf(FusedLanes.Vector512, FusedLanes.Vector256, FusedLanes.None);

    public static TheoryData<string> FusedWidths() => WidthsOf(FusedLanes.Vector512, FusedLanes.Vector256);

    public static TheoryData<string, int> FusedWidthsAndRows()
    {
        var data = new TheoryData<string, int>();
        foreach (string width in FusedWidths())
        {
            data.Add(width, 13);
            data.Add(width, 34);
        }
        return data;
    }

    private static TheoryData<string> WidthsOf(params FusedLanes[] widths)
    {
        var data = new TheoryData<string>();
        foreach (FusedLanes lanes in widths)
            if (FusedLanesSupport.IsSupported(lanes)) data.Add(lanes.ToString());
        return data;
    }

    [Fact]
    public void TheDefaultIsTheWidestWidthForFloatAndNoneForDouble()
    {
        Assert.Equal(FusedLanesSupport.Best, new RecurrentLayer<float>(Options("lstm", 3, 4)).FusedLanes);
        Assert.Equal(FusedLanes.None, new RecurrentLayer<double>(Options("lstm", 3, 4)).FusedLanes);
        Assert.Equal(FusedLanes.None, new RecurrentLayer<float>(Options("gru-before", 3, 4)).FusedLanes);
    }

    [Fact]
    public void AWidthTheLayerCannotRunIsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RecurrentLayer<double>(Options("lstm", 3, 4)).FusedLanes = FusedLanes.Vector256);
        Assert.Contains("float only", ex.Message);
        Assert.Throws<ArgumentException>(() => new RecurrentLayer<float>(Options("rnn-tanh", 3, 4)).FusedLanes = FusedLanes.Vector256);
    }

    // Hidden sizes below, at and between the block widths (8, 16), batches with and without a remainder row tile;
    // the input projection on the register tile (small products) and, in the last case, on the GEMM.
    [Theory]
    [MemberData(nameof(Widths))]
    public void ForwardAndBackwardMatchTheDoubleLayer(string width)
    {
        var lanes = Enum.Parse<FusedLanes>(width);
        var random = new Random(5);
        var cases = new (int Hidden, int Batch, int Layers, bool Bidirectional, bool Bias, bool Lengths, int Input)[]
        {
            (4, 3, 1, false, true, false, 7),
            (16, 1, 1, false, true, false, 7),
            (20, 5, 2, true, true, true, 7),
            (33, 9, 1, false, false, true, 7),
            (20, 30, 1, false, true, true, 7),
            (48, 9, 1, true, true, false, 64),
        };
        foreach (var (hidden, batch, layers, bidirectional, bias, withLengths, input) in cases)
        {
            int steps = 6, ld = layers * (bidirectional ? 2 : 1);
            var options = Options("lstm", input, hidden, layers, bidirectional, bias);
            var single = new RecurrentLayer<float>(options) { FusedLanes = lanes };
            var reference = new RecurrentLayer<double>(options);
            var x = Random<double>(random, steps, batch, input);
            var h0 = Random<double>(random, ld, batch, hidden);
            var c0 = Random<double>(random, ld, batch, hidden);
            int[]? lengths = withLengths ? Enumerable.Range(0, batch).Select(b => 1 + (b * 4) % steps).ToArray() : null;
            var gradOutput = Random<double>(random, steps, batch, options.NumDirections * hidden);
            var gradHn = Random<double>(random, ld, batch, hidden);
            var gradCn = Random<double>(random, ld, batch, hidden);
            string what = $"H={hidden} B={batch} L={layers} bidirectional={bidirectional} bias={bias} lengths={withLengths} at {lanes}";

            var expected = reference.Forward(x, lengths, h0, c0);
            var actual = single.Forward(x.Cast<float>(), lengths, h0.Cast<float>(), c0.Cast<float>());
            AssertNear(expected.Output, actual.Output, $"{what}: output");
            AssertNear(expected.Hn, actual.Hn, $"{what}: h_n");
            AssertNear(expected.Cn!, actual.Cn!, $"{what}: c_n");
            // The backward pass reads the gates, c_t and tanh c_t the fused step stored.
            var expectedGrads = reference.Backward(gradOutput, gradHn, gradCn);
            var actualGrads = single.Backward(gradOutput.Cast<float>(), gradHn.Cast<float>(), gradCn.Cast<float>());
            AssertNear(expectedGrads.Input, actualGrads.Input, $"{what}: grad input");
            AssertNear(expectedGrads.H0, actualGrads.H0, $"{what}: grad h0");
            AssertNear(expectedGrads.C0!, actualGrads.C0!, $"{what}: grad c0");
            for (int p = 0; p < reference.Parameters.Count; p++)
                AssertNear(reference.Parameters[p].Grad, single.Parameters[p].Grad, $"{what}: grad {reference.Parameters[p].Name}");
            // Gate heatmaps read the activated gates.
            AssertNear(reference.GateActivations(), single.GateActivations(), $"{what}: gate activations");
        }
    }

    // 13 rows: two 6-row tiles at AVX-512 (six 2-row ones at AVX2) and a remainder row; 34 rows: four 6-row tiles, two
    // 4-row ones and two remainder rows. H = 40 is 2.5 blocks of 16, 5 of 8.
    [Theory]
    [MemberData(nameof(FusedWidthsAndRows))]
    public void TheStepIsTheSameBitsOnAnyThreadCountAndInAnyRowTile(string width, int rows)
    {
        var lanes = Enum.Parse<FusedLanes>(width);
        const int hidden = 40, gh = 4 * hidden;
        var random = new Random(3);
        float[] Fill(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        float[] weightHh = Fill(gh * hidden), biasIh = Fill(gh), biasHh = Fill(gh), hPrev = Fill(rows * hidden), cPrev = Fill(rows * hidden), input = Fill(rows * gh);
        var packed = new float[LstmFusedStep.PackedLength(hidden, hidden, lanes)];
        LstmFusedStep.Pack(weightHh, hidden, hidden, lanes, packed);

        (float[] Gates, float[] Cell, float[] TanhCell, float[] State) Step(int threads)
        {
            float[] gates = (float[])input.Clone(), cell = new float[rows * hidden], tanhCell = new float[rows * hidden], state = new float[rows * hidden];
            LstmFusedStep.Run(lanes, rows, hidden, gates, biasIh, biasHh, hPrev, cPrev, cell, tanhCell, state, packed, threads);
            return (gates, cell, tanhCell, state);
        }

        var one = Step(1);
        foreach (int threads in new[] { 2, 3 })
        {
            var many = Step(threads);
            Assert.Equal(one.Gates, many.Gates);
            Assert.Equal(one.Cell, many.Cell);
            Assert.Equal(one.TanhCell, many.TanhCell);
            Assert.Equal(one.State, many.State);
        }
        // Each row alone (the one-row kernel) gives the bits it got inside a tile.
        for (int r = 0; r < rows; r++)
        {
            float[] gates = input.AsSpan(r * gh, gh).ToArray(), cell = new float[hidden], tanhCell = new float[hidden], state = new float[hidden];
            LstmFusedStep.Run(lanes, 1, hidden, gates, biasIh, biasHh, hPrev.AsSpan(r * hidden, hidden), cPrev.AsSpan(r * hidden, hidden),
                cell, tanhCell, state, packed, 1);
            Assert.Equal(one.Gates.AsSpan(r * gh, gh).ToArray(), gates);
            Assert.Equal(one.Cell.AsSpan(r * hidden, hidden).ToArray(), cell);
            Assert.Equal(one.State.AsSpan(r * hidden, hidden).ToArray(), state);
        }
        // And the product is W_hh's: one gate element recomputed in double.
        double pre = (input[gh + 2 * hidden + 37] + biasIh[2 * hidden + 37]) + biasHh[2 * hidden + 37];
        for (int k = 0; k < hidden; k++) pre += (double)hPrev[hidden + k] * weightHh[(2 * hidden + 37) * hidden + k];
        Assert.True(Math.Abs(Math.Tanh(pre) - one.Gates[gh + 2 * hidden + 37]) < 1e-5, $"g[1, 37] = {one.Gates[gh + 2 * hidden + 37]}, expected {Math.Tanh(pre)}");
    }

    // x Wᵀ for 13 rows (tiles and a remainder row) and H = 20 (a partial block at either width), depth 24.
    [Theory]
    [MemberData(nameof(FusedWidths))]
    public void TheInputProjectionIsTheProductOnAnyThreadCount(string width)
    {
        var lanes = Enum.Parse<FusedLanes>(width);
        const int rows = 13, hidden = 20, depth = 24, gh = 4 * hidden;
        var random = new Random(4);
        float[] weight = Enumerable.Range(0, gh * depth).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] x = Enumerable.Range(0, rows * depth).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var packed = new float[LstmFusedStep.PackedLength(hidden, depth, lanes)];
        LstmFusedStep.Pack(weight, hidden, depth, lanes, packed);
        float[] Project(int threads)
        {
            var gates = Enumerable.Repeat(float.NaN, rows * gh).ToArray();
            LstmFusedStep.Project(lanes, rows, hidden, depth, x, packed, gates, threads);
            return gates;
        }
        float[] one = Project(1);
        Assert.Equal(one, Project(2));
        Assert.Equal(one, Project(3));
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < gh; c++)
            {
                double expected = 0;
                for (int k = 0; k < depth; k++) expected += (double)x[r * depth + k] * weight[c * depth + k];
                Assert.True(Math.Abs(expected - one[r * gh + c]) < 1e-5, $"row {r}, column {c}: {one[r * gh + c]}, expected {expected}");
            }
    }

    // σ and tanh at every width against Math in double: near zero, through the bends, the saturated tails, and far
    // beyond exp's float range (where the clamp must give exactly 0 or ±1, never NaN).
    [Theory]
    [MemberData(nameof(FusedWidths))]
    public void ActivationsAreWithinAFewUlpOfMath(string width)
    {
        var lanes = Enum.Parse<FusedLanes>(width);
        var xs = new List<float> { 0f, -0f, 1e-30f, -1e-30f, 1e-7f, -1e-7f, 88f, -88f, 89f, -89f, 100f, -100f, 1e10f, -1e10f, float.MaxValue, float.MinValue };
        for (int i = -40000; i <= 40000; i++) xs.Add(i * 1e-3f);
        float[] input = xs.ToArray(), sigmoid = new float[input.Length], tanh = new float[input.Length];
        int v = lanes == FusedLanes.Vector512 ? 16 : 8;
        Array.Resize(ref input, (input.Length + v - 1) / v * v);
        Array.Resize(ref sigmoid, input.Length);
        Array.Resize(ref tanh, input.Length);
        FloatActivations.Apply(lanes, input, sigmoid, tanh);
        double worstSigmoid = 0, worstTanh = 0;
        for (int i = 0; i < input.Length; i++)
        {
            double x = input[i];
            double s = 1 / (1 + Math.Exp(-x)), t = Math.Tanh(x);
            Assert.True(float.IsFinite(sigmoid[i]) && float.IsFinite(tanh[i]), $"x = {x}: σ = {sigmoid[i]}, tanh = {tanh[i]}");
            worstSigmoid = Math.Max(worstSigmoid, Math.Abs(sigmoid[i] - s));
            worstTanh = Math.Max(worstTanh, Math.Abs(tanh[i] - t));
            Assert.True(Math.Sign(tanh[i]) == Math.Sign(t) || tanh[i] == 0, $"tanh({x}) = {tanh[i]} has the wrong sign");
        }
        // 2.4e-7 is four half-ulps of 1 in float (values near 1 are rounded to 6e-8 steps).
        Assert.True(worstSigmoid < 2.4e-7, $"σ: worst absolute error {worstSigmoid:E2}");
        Assert.True(worstTanh < 2.4e-7, $"tanh: worst absolute error {worstTanh:E2}");
    }

    // Float against double through a few steps and layers: 1e-5, the float tolerance of the PyTorch parity tests.
    private static void AssertNear(NdArray<double> expected, NdArray<float> actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected.Data[i] - actual.Data[i]));
        Assert.True(worst <= 1e-5, $"{what}: max |float − double| = {worst:E2}");
    }
}

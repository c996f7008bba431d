using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>
/// The fused float GRU step with the reset gate after the product (<see cref="GruFusedStep"/>) at every SIMD width
/// this machine runs: against the double layer (the unfused step in double precision) and the unfused float step,
/// against the equations element by element, and bit for bit across thread counts and row tiles.
/// </summary>
public class FusedGruStepTests
{
    // Widths by name (FusedLanes is internal) × both update conventions; None is the unfused step.
    public static TheoryData<string, string> WidthsAndKinds()
    {
        var data = new TheoryData<string, string>();
        foreach (FusedLanes lanes in new[] { FusedLanes.Vector512, FusedLanes.Vector256, FusedLanes.None })
            if (FusedLanesSupport.IsSupported(lanes))
                foreach (string kind in new[] { "gru-after", "gru-after-seeds" }) data.Add(lanes.ToString(), kind);
        return data;
    }

    public static TheoryData<string, bool, int> FusedWidthsConventionsAndRows()
    {
        var data = new TheoryData<string, bool, int>();
        foreach (FusedLanes lanes in new[] { FusedLanes.Vector512, FusedLanes.Vector256 })
            if (FusedLanesSupport.IsSupported(lanes))
                foreach (bool zWeighsPrevious in new[] { true, false })
                    foreach (int rows in new[] { 13, 30 }) data.Add(lanes.ToString(), zWeighsPrevious, rows);
        return data;
    }

    public static TheoryData<string> FusedWidths()
    {
        var data = new TheoryData<string>();
        foreach (FusedLanes lanes in new[] { FusedLanes.Vector512, FusedLanes.Vector256 })
            if (FusedLanesSupport.IsSupported(lanes)) data.Add(lanes.ToString());
        return data;
    }

    [Fact]
    public void TheDefaultIsTheWidestWidthForFloatResetAfterOnly()
    {
        Assert.Equal(FusedLanesSupport.Best, new RecurrentLayer<float>(Options("gru-after", 3, 4)).FusedLanes);
        Assert.Equal(FusedLanesSupport.Best, new RecurrentLayer<float>(Options("gru-after-seeds", 3, 4)).FusedLanes);
        Assert.Equal(FusedLanes.None, new RecurrentLayer<double>(Options("gru-after", 3, 4)).FusedLanes);
        Assert.Equal(FusedLanes.None, new RecurrentLayer<float>(Options("gru-before", 3, 4)).FusedLanes);
        var ex = Assert.Throws<ArgumentException>(() => new RecurrentLayer<double>(Options("gru-after", 3, 4)).FusedLanes = FusedLanes.Vector256);
        Assert.Contains("float only", ex.Message);
    }

    // Hidden sizes below, at and between the block widths (8, 16), batches with and without a remainder row tile;
    // the input projection on the register tile (small products) and, in the last case, on the GEMM.
    [Theory]
    [MemberData(nameof(WidthsAndKinds))]
    public void ForwardAndBackwardMatchTheDoubleLayerAndTheUnfusedStep(string width, string kind)
    {
        var lanes = Enum.Parse<FusedLanes>(width);
        var random = new Random(6);
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
            var options = Options(kind, input, hidden, layers, bidirectional, bias);
            var single = new RecurrentLayer<float>(options) { FusedLanes = lanes };
            var unfused = new RecurrentLayer<float>(options) { FusedLanes = FusedLanes.None };
            var reference = new RecurrentLayer<double>(options);
            var x = Random<double>(random, steps, batch, input);
            var h0 = Random<double>(random, ld, batch, hidden);
            int[]? lengths = withLengths ? Enumerable.Range(0, batch).Select(b => 1 + (b * 4) % steps).ToArray() : null;
            var gradOutput = Random<double>(random, steps, batch, options.NumDirections * hidden);
            var gradHn = Random<double>(random, ld, batch, hidden);
            string what = $"{kind} H={hidden} B={batch} L={layers} bidirectional={bidirectional} bias={bias} lengths={withLengths} at {lanes}";

            var expected = reference.Forward(x, lengths, h0);
            var actual = single.Forward(x.Cast<float>(), lengths, h0.Cast<float>());
            var plain = unfused.Forward(x.Cast<float>(), lengths, h0.Cast<float>());
            AssertNear(expected.Output, actual.Output, $"{what}: output");
            AssertNear(expected.Hn, actual.Hn, $"{what}: h_n");
            AssertNear(plain.Output.Cast<double>(), actual.Output, $"{what}: output against the unfused float step");
            // The backward pass reads the gates and q = h W_hnᵀ + b_hn the fused step stored.
            var expectedGrads = reference.Backward(gradOutput, gradHn);
            var actualGrads = single.Backward(gradOutput.Cast<float>(), gradHn.Cast<float>());
            AssertNear(expectedGrads.Input, actualGrads.Input, $"{what}: grad input");
            AssertNear(expectedGrads.H0, actualGrads.H0, $"{what}: grad h0");
            for (int p = 0; p < reference.Parameters.Count; p++)
                AssertNear(reference.Parameters[p].Grad, single.Parameters[p].Grad, $"{what}: grad {reference.Parameters[p].Name}");
            AssertNear(reference.GateActivations(), single.GateActivations(), $"{what}: gate activations");
        }
    }

    // 13 rows: an 8-row and a 4-row tile at AVX-512 (six 2-row ones at AVX2) and a remainder row; 30 rows: three
    // 8-row tiles, a 4-row one and two remainder rows. H = 40 is 2.5 blocks of 16, 5 of 8.
    [Theory]
    [MemberData(nameof(FusedWidthsConventionsAndRows))]
    public void TheStepIsTheEquationsAndTheSameBitsOnAnyThreadCountAndInAnyRowTile(string width, bool zWeighsPrevious, int rows)
    {
        var lanes = Enum.Parse<FusedLanes>(width);
        const int hidden = 40, gh = 3 * hidden;
        var random = new Random(3);
        float[] Fill(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        float[] weightHh = Fill(gh * hidden), biasIh = Fill(gh), biasHh = Fill(gh), hPrev = Fill(rows * hidden), input = Fill(rows * gh);
        var packed = new float[GruFusedStep.PackedLength(hidden, hidden, lanes)];
        GruFusedStep.Pack(weightHh, hidden, hidden, lanes, packed);

        (float[] Gates, float[] Candidate, float[] State) Step(int threads)
        {
            float[] gates = (float[])input.Clone(), candidate = new float[rows * hidden], state = new float[rows * hidden];
            GruFusedStep.Run(lanes, rows, hidden, gates, biasIh, biasHh, hPrev, candidate, state, packed, zWeighsPrevious, threads);
            return (gates, candidate, state);
        }

        var one = Step(1);
        foreach (int threads in new[] { 2, 3 })
        {
            var many = Step(threads);
            Assert.Equal(one.Gates, many.Gates);
            Assert.Equal(one.Candidate, many.Candidate);
            Assert.Equal(one.State, many.State);
        }
        // Each row alone (the one-row kernel) gives the bits it got inside a tile.
        for (int r = 0; r < rows; r++)
        {
            float[] gates = input.AsSpan(r * gh, gh).ToArray(), candidate = new float[hidden], state = new float[hidden];
            GruFusedStep.Run(lanes, 1, hidden, gates, biasIh, biasHh, hPrev.AsSpan(r * hidden, hidden), candidate, state, packed, zWeighsPrevious, 1);
            Assert.Equal(one.Gates.AsSpan(r * gh, gh).ToArray(), gates);
            Assert.Equal(one.Candidate.AsSpan(r * hidden, hidden).ToArray(), candidate);
            Assert.Equal(one.State.AsSpan(r * hidden, hidden).ToArray(), state);
        }
        // And every element is the equations', recomputed in double (the last block of 8 of 40 units is partial at 16).
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < hidden; j++)
            {
                double Product(int gate)
                {
                    double sum = 0;
                    for (int k = 0; k < hidden; k++) sum += (double)hPrev[r * hidden + k] * weightHh[(gate * hidden + j) * hidden + k];
                    return sum + biasHh[gate * hidden + j];
                }
                double Input(int gate) => (double)input[r * gh + gate * hidden + j] + biasIh[gate * hidden + j];
                double reset = 1 / (1 + Math.Exp(-(Input(0) + Product(0)))), update = 1 / (1 + Math.Exp(-(Input(1) + Product(1))));
                double q = Product(2), n = Math.Tanh(Input(2) + reset * q), previous = hPrev[r * hidden + j];
                double h = zWeighsPrevious ? update * previous + (1 - update) * n : (1 - update) * previous + update * n;
                string at = $"row {r}, unit {j}";
                Assert.True(Math.Abs(reset - one.Gates[r * gh + j]) < 1e-5, $"{at}: r = {one.Gates[r * gh + j]}, expected {reset}");
                Assert.True(Math.Abs(update - one.Gates[r * gh + hidden + j]) < 1e-5, $"{at}: z = {one.Gates[r * gh + hidden + j]}, expected {update}");
                Assert.True(Math.Abs(n - one.Gates[r * gh + 2 * hidden + j]) < 1e-5, $"{at}: n = {one.Gates[r * gh + 2 * hidden + j]}, expected {n}");
                Assert.True(Math.Abs(q - one.Candidate[r * hidden + j]) < 1e-4, $"{at}: q = {one.Candidate[r * hidden + j]}, expected {q}");
                Assert.True(Math.Abs(h - one.State[r * hidden + j]) < 1e-5, $"{at}: h = {one.State[r * hidden + j]}, expected {h}");
            }
    }

    // x Wᵀ for 13 rows (tiles and a remainder row) and H = 20 (a partial block at either width), depth 24.
    [Theory]
    [MemberData(nameof(FusedWidths))]
    public void TheInputProjectionIsTheProductOnAnyThreadCount(string width)
    {
        var lanes = Enum.Parse<FusedLanes>(width);
        const int rows = 13, hidden = 20, depth = 24, gh = 3 * hidden;
        var random = new Random(4);
        float[] weight = Enumerable.Range(0, gh * depth).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] x = Enumerable.Range(0, rows * depth).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var packed = new float[GruFusedStep.PackedLength(hidden, depth, lanes)];
        GruFusedStep.Pack(weight, hidden, depth, lanes, packed);
        float[] Project(int threads)
        {
            var gates = Enumerable.Repeat(float.NaN, rows * gh).ToArray();
            GruFusedStep.Project(lanes, rows, hidden, depth, x, packed, gates, threads);
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

    // Float against double through a few steps and layers: 1e-5, the float tolerance of the PyTorch parity tests.
    private static void AssertNear(NdArray<double> expected, NdArray<float> actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected.Data[i] - actual.Data[i]));
        Assert.True(worst <= 1e-5, $"{what}: max |float − double| = {worst:E2}");
    }
}

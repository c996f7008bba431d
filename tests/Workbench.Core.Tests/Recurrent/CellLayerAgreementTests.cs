using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>The fast batched layer and the equation-level cells compute the same numbers.</summary>
public class CellLayerAgreementTests
{
    public static TheoryData<string> Kinds() => new(AllKinds);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DoubleLayerMatchesCells(string kind) => CheckAgreement<double>(kind, 1e-12);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FloatLayerMatchesCells(string kind) => CheckAgreement<float>(kind, 2e-5);

    private static void CheckAgreement<T>(string kind, double tolerance) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(11);
        int steps = 5, batch = 4, input = 3, hidden = 4;
        var cases = new (int Layers, bool Bidirectional, int[]? Lengths, bool InitialState)[]
        {
            (1, false, null, false),
            (1, false, null, true),
            (2, true, null, true),
            (2, true, [3, 5, 1, 4], true),
            (1, true, [2, 2, 5, 3], false),
        };
        foreach (var (layers, bidirectional, lengths, initial) in cases)
        {
            var layer = new RecurrentLayer<T>(Options(kind, input, hidden, layers, bidirectional));
            var x = Random<T>(random, steps, batch, input);
            int ld = layers * (bidirectional ? 2 : 1);
            var h0 = initial ? Random<T>(random, ld, batch, hidden) : null;
            var c0 = initial && kind == "lstm" ? Random<T>(random, ld, batch, hidden) : null;
            var fast = layer.Forward(x, lengths, h0, c0);
            var (output, hn, cn) = CellForward(layer, x, lengths, h0, c0);
            string what = $"{kind} layers={layers} bidirectional={bidirectional} lengths={(lengths is null ? "none" : string.Join(",", lengths))}";
            Assert.True(MaxAbsDifference(output, fast.Output) <= tolerance, $"output differs for {what}: {MaxAbsDifference(output, fast.Output)}");
            Assert.True(MaxAbsDifference(hn, fast.Hn) <= tolerance, $"h_n differs for {what}: {MaxAbsDifference(hn, fast.Hn)}");
            if (kind == "lstm")
                Assert.True(MaxAbsDifference(cn!, fast.Cn!) <= tolerance, $"c_n differs for {what}");
            else
                Assert.Null(fast.Cn);
        }
    }

    [Fact]
    public void FloatAndDoubleLayersShareTheirInitialisation()
    {
        var d = new Gru<double>(3, 4, numLayers: 2, bidirectional: true, seed: 5);
        var f = new Gru<float>(3, 4, numLayers: 2, bidirectional: true, seed: 5);
        for (int p = 0; p < d.Parameters.Count; p++)
            for (int i = 0; i < d.Parameters[p].Value.Length; i++)
                Assert.Equal((float)d.Parameters[p].Value.Data[i], f.Parameters[p].Value.Data[i]);
    }

    [Fact]
    public void StepRecordsHoldEveryIntermediate()
    {
        var layer = new Lstm<double>(2, 3, seed: 1);
        var cell = LstmCell<double>.FromLayer(layer);
        var x = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense([0.5, -1.0]);
        var h = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense([0.1, 0.2, -0.3]);
        var c = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense([1.0, -0.5, 0.25]);
        var step = cell.Step(x, h, c);
        Assert.Equal(cell.InputGate(x, h), step.InputGate);
        Assert.Equal(cell.ForgetGate(x, h), step.ForgetGate);
        Assert.Equal(cell.CandidateState(x, h), step.CandidateState);
        Assert.Equal(cell.OutputGate(x, h), step.OutputGate);
        var expectedC = step.ForgetGate.PointwiseMultiply(c) + step.InputGate.PointwiseMultiply(step.CandidateState);
        Assert.Equal(expectedC, step.CellState);
        Assert.Equal(step.OutputGate.PointwiseMultiply(expectedC.Map(Math.Tanh)), step.HiddenState);
        foreach (double v in step.InputGate.Concat(step.ForgetGate).Concat(step.OutputGate)) Assert.InRange(v, 0.0, 1.0);
    }

    [Fact]
    public void CellsRejectWrongSizesNamingTheTensor()
    {
        var cell = GruCell<double>.FromLayer(new Gru<double>(2, 3));
        var x = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(2);
        var e = Assert.Throws<ArgumentException>(() => cell.Step(x, MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(4)));
        Assert.Contains("'hPrev'", e.Message);
        Assert.Contains("(4,)", e.Message);
        Assert.Contains("(3,)", e.Message);
        var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build;
        e = Assert.Throws<ArgumentException>(() => new LstmCell<double>(m.Dense(8, 2), m.Dense(8, 3)));
        Assert.Contains("'weight_hh'", e.Message);
        Assert.Contains("(8, 3)", e.Message);
    }

    [Fact]
    public void GateActivationsOfTheLayerAreTheCellsGates()
    {
        var random = new Random(13);
        var gru = new Gru<double>(2, 3, bidirectional: true, resetPlacement: GruResetPlacement.ResetBefore, seed: 8);
        var x = Random<double>(random, 4, 2, 2);
        int[] lengths = [2, 4];
        gru.Forward(x, lengths);
        var gates = gru.GateActivations(0, reverse: true);
        Assert.Equal([4, 2, 9], gates.Shape);
        var cell = GruCell<double>.FromLayer(gru, 0, reverse: true);
        for (int b = 0; b < 2; b++)
        {
            // The reverse direction reads the sequence from its own last step back to step 0.
            var xs = Enumerable.Range(0, lengths[b]).Reverse()
                .Select(t => MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(2, i => x[t, b, i])).ToList();
            var steps = cell.Run(xs);
            for (int s = 0; s < xs.Count; s++)
            {
                int t = lengths[b] - 1 - s;
                for (int i = 0; i < 3; i++)
                {
                    Assert.Equal(steps[s].ResetGate[i], gates[t, b, i], 12);
                    Assert.Equal(steps[s].UpdateGate[i], gates[t, b, 3 + i], 12);
                    Assert.Equal(steps[s].CandidateState[i], gates[t, b, 6 + i], 12);
                }
            }
            for (int t = lengths[b]; t < 4; t++)
                for (int i = 0; i < 9; i++) Assert.Equal(0.0, gates[t, b, i]);
        }
        Assert.Throws<InvalidOperationException>(() => new Lstm<double>(2, 3).GateActivations());
    }
}

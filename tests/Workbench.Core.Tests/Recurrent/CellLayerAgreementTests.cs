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
}

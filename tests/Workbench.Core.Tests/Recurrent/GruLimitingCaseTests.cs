using MathNet.Numerics.LinearAlgebra;
using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>
/// Seed 004's limiting cases of the GRU, as exact identities in double. A gate is forced by zeroing its weights and
/// setting its input bias to ±1000: σ(1000) is exactly 1 and σ(−1000) exactly 0 in double.
/// Seed 004 (and PyTorch) write H_t = Z ⊙ H_{t−1} + (1 − Z) ⊙ H̃_t; the seeds' other convention swaps the roles of Z and 1 − Z.
/// </summary>
public class GruLimitingCaseTests
{
    private const int Reset = 0, Update = 1;
    private const double Open = 1000, Closed = -1000;

    public static TheoryData<GruResetPlacement> Placements() => new(GruResetPlacement.ResetAfter, GruResetPlacement.ResetBefore);

    [Theory]
    [MemberData(nameof(Placements))]
    public void UpdateZeroResetOneIsTheVanillaRnnWithTheCandidateWeights(GruResetPlacement placement)
    {
        var random = new Random(1);
        foreach (var convention in new[] { GruUpdateConvention.ZWeighsPrevious, GruUpdateConvention.ZWeighsCandidate })
        {
            var gru = new Gru<double>(3, 4, resetPlacement: placement, updateConvention: convention, seed: 3);
            Force(gru, Reset, Open);
            // "Z = 0" in seed 004's convention means the candidate is taken whole; in the other convention that is Z = 1.
            Force(gru, Update, convention == GruUpdateConvention.ZWeighsPrevious ? Closed : Open);
            var cell = GruCell<double>.FromLayer(gru);
            var rnnCell = new RnnCell<double>(cell.WeightIn, cell.WeightHn, cell.BiasIn, cell.BiasHn);
            var xs = Sequence(random, 6, 3);
            var h0 = Vector<double>.Build.DenseOfArray([0.3, -0.7, 0.1, 0.9]);
            var gruSteps = cell.Run(xs, h0);
            var rnnSteps = rnnCell.Run(xs, h0);
            for (int t = 0; t < xs.Count; t++)
            {
                Assert.All(gruSteps[t].ResetGate, r => Assert.Equal(1.0, r));
                Assert.Equal(rnnSteps[t].HiddenState.ToArray(), gruSteps[t].HiddenState.ToArray());
            }

            // The fast layers agree too (to rounding only: their GEMMs have different widths).
            var rnn = new Rnn<double>(3, 4);
            var p = gru.Parameters;
            CopyRows(p[0].Value, 2, 4, rnn.WeightIh(0).Value);
            CopyRows(p[1].Value, 2, 4, rnn.WeightHh(0).Value);
            CopyRows(p[2].Value, 2, 4, rnn.BiasIh(0)!.Value);
            CopyRows(p[3].Value, 2, 4, rnn.BiasHh(0)!.Value);
            var x = Random<double>(random, 6, 2, 3);
            var h0s = Random<double>(random, 1, 2, 4);
            Assert.True(MaxAbsDifference(rnn.Forward(x, h0: h0s).Output, gru.Forward(x, h0: h0s).Output) <= 1e-14);
        }
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void UpdateZeroResetZeroMakesTheStateDependOnTheInputAlone(GruResetPlacement placement)
    {
        var random = new Random(2);
        var gru = new Gru<double>(3, 4, resetPlacement: placement, seed: 4);
        Force(gru, Reset, Closed);
        Force(gru, Update, Closed);
        var cell = GruCell<double>.FromLayer(gru);
        foreach (var x in Sequence(random, 5, 3))
        {
            // n = tanh(W_in x + b_in + 0 ⊙ (…)) after, tanh(W_in x + b_in + W_hn 0 + b_hn) before.
            var expected = (cell.WeightIn * x + cell.BiasIn + (placement == GruResetPlacement.ResetBefore ? cell.BiasHn : Vector<double>.Build.Dense(4)))
                .Map(Math.Tanh);
            foreach (var hPrev in new[] { Vector<double>.Build.Dense(4), Vector<double>.Build.DenseOfArray([5, -3, 0.5, 2]) })
                Assert.Equal(expected.ToArray(), cell.Step(x, hPrev).HiddenState.ToArray());
        }

        // The layer: two very different initial states give bit-identical outputs at every step.
        var xs = Random<double>(random, 5, 2, 3);
        var a = gru.Forward(xs, h0: Random<double>(random, 1, 2, 4)).Output.Clone();
        var b = gru.Forward(xs, h0: Random<double>(random, 1, 2, 4)).Output;
        AssertBitwiseEqual(a, b);
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void UpdateOneCopiesThePreviousState(GruResetPlacement placement)
    {
        var random = new Random(3);
        foreach (var convention in new[] { GruUpdateConvention.ZWeighsPrevious, GruUpdateConvention.ZWeighsCandidate })
        {
            var gru = new Gru<double>(3, 4, bidirectional: true, resetPlacement: placement, updateConvention: convention, seed: 5);
            Force(gru, Update, convention == GruUpdateConvention.ZWeighsPrevious ? Open : Closed);
            var cell = GruCell<double>.FromLayer(gru, 0, reverse: true);
            var h = Vector<double>.Build.DenseOfArray([0.25, -0.5, 0.75, -1]);
            foreach (var x in Sequence(random, 4, 3))
                Assert.Equal(h.ToArray(), cell.Step(x, h).HiddenState.ToArray());

            // The layer ignores every input: each output step and h_n are h0, bit for bit, in both directions.
            var h0 = Random<double>(random, 2, 3, 4);
            var result = gru.Forward(Random<double>(random, 5, 3, 3), [5, 2, 3], h0);
            AssertBitwiseEqual(h0, result.Hn);
            for (int b = 0; b < 3; b++)
                for (int t = 0; t < new[] { 5, 2, 3 }[b]; t++)
                    for (int d = 0; d < 2; d++)
                        for (int i = 0; i < 4; i++)
                            Assert.Equal(h0[d, b, i], result.Output[t, b, d * 4 + i]);
        }
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void UpdateConventionsAreOneModelOnceTheUpdateGateIsNegated(GruResetPlacement placement)
    {
        var random = new Random(4);
        var pytorch = new Gru<double>(3, 4, numLayers: 2, bidirectional: true, resetPlacement: placement,
            updateConvention: GruUpdateConvention.ZWeighsPrevious, seed: 6);
        var seeds = new Gru<double>(3, 4, numLayers: 2, bidirectional: true, resetPlacement: placement,
            updateConvention: GruUpdateConvention.ZWeighsCandidate, seed: 6);
        // σ(−a) = 1 − σ(a): negating rows H..2H (the z gate) of every weight and bias swaps the conventions.
        foreach (var p in seeds.Parameters)
        {
            int width = p.Value.Rank == 2 ? p.Value.Shape[1] : 1;
            for (int i = 4 * width; i < 8 * width; i++) p.Value.Data[i] = -p.Value.Data[i];
        }
        var x = Random<double>(random, 5, 3, 3);
        var h0 = Random<double>(random, 4, 3, 4);
        int[] lengths = [4, 5, 2];
        var a = pytorch.Forward(x, lengths, h0);
        var b = seeds.Forward(x, lengths, h0);
        Assert.True(MaxAbsDifference(a.Output, b.Output) <= 1e-14);
        Assert.True(MaxAbsDifference(a.Hn, b.Hn) <= 1e-14);

        // Their gradients agree as well, with the z-gate parameter gradients negated.
        var w = Random<double>(random, 5, 3, 8);
        var ga = pytorch.Backward(w);
        var gb = seeds.Backward(w);
        Assert.True(MaxAbsDifference(ga.Input, gb.Input) <= 1e-13);
        Assert.True(MaxAbsDifference(ga.H0, gb.H0) <= 1e-13);
        for (int p = 0; p < pytorch.Parameters.Count; p++)
        {
            var pa = pytorch.Parameters[p].Grad;
            var pb = seeds.Parameters[p].Grad;
            int width = pa.Rank == 2 ? pa.Shape[1] : 1;
            for (int i = 0; i < pa.Length; i++)
            {
                double sign = i >= 4 * width && i < 8 * width ? -1 : 1;
                Assert.Equal(pa.Data[i], sign * pb.Data[i], 12);
            }
        }
    }

    // Zero a gate's weights in every layer and direction, and set its input bias (its recurrent bias to zero).
    private static void Force(RecurrentLayer<double> layer, int gate, double bias)
    {
        int h = layer.HiddenSize;
        foreach (var p in layer.Parameters)
        {
            int width = p.Value.Rank == 2 ? p.Value.Shape[1] : 1;
            double value = p.Value.Rank == 2 ? 0 : p.Name.StartsWith("bias_ih", StringComparison.Ordinal) ? bias : 0;
            p.Value.Data.AsSpan(gate * h * width, h * width).Fill(value);
        }
    }

    private static void CopyRows(NdArray<double> source, int gate, int hidden, NdArray<double> destination)
    {
        int width = source.Rank == 2 ? source.Shape[1] : 1;
        source.Data.AsSpan(gate * hidden * width, hidden * width).CopyTo(destination.Data);
    }

    private static List<Vector<double>> Sequence(Random random, int steps, int size)
        => Enumerable.Range(0, steps).Select(_ => Vector<double>.Build.Dense(size, _ => random.NextDouble() * 2 - 1)).ToList();
}

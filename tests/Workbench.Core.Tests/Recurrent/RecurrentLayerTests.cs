using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>Parameters, initialisation, packed-sequence semantics and input validation of the layer.</summary>
public class RecurrentLayerTests
{
    [Fact]
    public void PyTorchConstructorArgumentsBuildTheSameLayerAsTheOptions()
    {
        // batch_first, dropout and proj_size passed as PyTorch passes them give the layer the options spell out:
        // same options, same parameters (names, shapes, values) and the same output for the same input.
        var lstm = new Lstm<float>(4, 6, numLayers: 2, bidirectional: true, seed: 3, batchFirst: true, dropout: 0.25, projSize: 2);
        var reference = new RecurrentLayer<float>(new RecurrentLayerOptions(RecurrentKind.Lstm, 4, 6)
        {
            NumLayers = 2, Bidirectional = true, Seed = 3, BatchFirst = true, Dropout = 0.25, ProjectionSize = 2,
        });
        Assert.Equal(reference.Options, lstm.Options);
        Assert.Contains(lstm.Parameters, p => p.Name == "weight_hr_l1_reverse" && p.Value.Shape.SequenceEqual([2, 6]));
        Assert.Equal(reference.Parameters.Select(p => p.Name), lstm.Parameters.Select(p => p.Name));
        for (int i = 0; i < lstm.Parameters.Count; i++) AssertBitwiseEqual(reference.Parameters[i].Value, lstm.Parameters[i].Value);
        lstm.Training = reference.Training = false;
        var x = Random<float>(new Random(1), 3, 5, 4); // (B, T, I): batch first
        var output = lstm.Forward(x);
        Assert.Equal([3, 5, 4], output.Output.Shape);
        AssertBitwiseEqual(reference.Forward(x).Output, output.Output);

        var gru = new Gru<double>(4, 6, numLayers: 2, batchFirst: true, dropout: 0.5);
        Assert.True(gru.Options.BatchFirst);
        Assert.Equal(0.5, gru.Options.Dropout);
        var rnn = new Rnn<double>(4, 6, numLayers: 3, nonlinearity: RnnNonlinearity.Relu, batchFirst: true, dropout: 0.1);
        Assert.Equal(new RecurrentLayerOptions(RecurrentKind.RnnRelu, 4, 6) { NumLayers = 3, BatchFirst = true, Dropout = 0.1 }, rnn.Options);
    }

    [Fact]
    public void ParametersFollowPyTorchStateDictNamesShapesAndOrder()
    {
        var lstm = new Lstm<float>(5, 3, numLayers: 2, bidirectional: true);
        var expected = new (string, int[])[]
        {
            ("weight_ih_l0", [12, 5]), ("weight_hh_l0", [12, 3]), ("bias_ih_l0", [12]), ("bias_hh_l0", [12]),
            ("weight_ih_l0_reverse", [12, 5]), ("weight_hh_l0_reverse", [12, 3]), ("bias_ih_l0_reverse", [12]), ("bias_hh_l0_reverse", [12]),
            ("weight_ih_l1", [12, 6]), ("weight_hh_l1", [12, 3]), ("bias_ih_l1", [12]), ("bias_hh_l1", [12]),
            ("weight_ih_l1_reverse", [12, 6]), ("weight_hh_l1_reverse", [12, 3]), ("bias_ih_l1_reverse", [12]), ("bias_hh_l1_reverse", [12]),
        };
        Assert.Equal(expected.Select(e => e.Item1), lstm.Parameters.Select(p => p.Name));
        Assert.Equal(expected.Select(e => e.Item2), lstm.Parameters.Select(p => p.Value.Shape));
        Assert.Same(lstm.WeightHh(1, reverse: true), lstm.GetParameter("weight_hh_l1_reverse"));

        var gru = new Gru<double>(4, 2, bias: false);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0"], gru.Parameters.Select(p => p.Name));
        Assert.Equal([6, 4], gru.WeightIh(0).Value.Shape);
        Assert.Null(gru.BiasIh(0));
        Assert.Equal([2, 4], new Rnn<double>(4, 2).WeightIh(0).Value.Shape);
        Assert.Throws<KeyNotFoundException>(() => gru.GetParameter("bias_ih_l0"));
    }

    [Fact]
    public void DefaultInitIsUniformWithinOneOverRootHAndDeterministicFromTheSeed()
    {
        var a = new Gru<double>(3, 16, numLayers: 2, seed: 42);
        var b = new Gru<double>(3, 16, numLayers: 2, seed: 42);
        var c = new Gru<double>(3, 16, numLayers: 2, seed: 43);
        double bound = 1 / Math.Sqrt(16);
        var all = a.Parameters.SelectMany(p => p.Value.Data).ToArray();
        Assert.All(all, v => Assert.InRange(v, -bound, bound));
        Assert.True(all.Max() > 0.9 * bound && all.Min() < -0.9 * bound, "the draws should fill the interval");
        Assert.Equal(all, b.Parameters.SelectMany(p => p.Value.Data));
        Assert.NotEqual(all, c.Parameters.SelectMany(p => p.Value.Data));
    }

    [Theory]
    [InlineData("rnn-tanh")]
    [InlineData("lstm")]
    [InlineData("gru-after")]
    public void PaddedStepsOutputZeroAndFinalStatesAreEachSequencesOwnLastStep(string kind)
    {
        var random = new Random(5);
        var layer = new RecurrentLayer<double>(Options(kind, 2, 3, bidirectional: true));
        var x = Random<double>(random, 6, 3, 2);
        int[] lengths = [3, 6, 1];
        var r = layer.Forward(x, lengths);
        for (int b = 0; b < 3; b++)
        {
            for (int t = lengths[b]; t < 6; t++)
                for (int i = 0; i < 6; i++) Assert.Equal(0.0, r.Output[t, b, i]);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(r.Output[lengths[b] - 1, b, i], r.Hn[0, b, i]); // forward ends at its last step
                Assert.Equal(r.Output[0, b, 3 + i], r.Hn[1, b, i]);          // reverse ends at step 0
            }
        }
        // Padding content is never read: changing it changes nothing.
        var changed = x.Clone();
        for (int t = 1; t < 6; t++) for (int i = 0; i < 2; i++) changed[t, 2, i] = 9;
        AssertBitwiseEqual(r.Output.Clone(), layer.Forward(changed, lengths).Output);
        // Each sequence alone gives what it gives in the batch.
        var alone = layer.Forward(new NdArray<double>(x.Data.Where((_, i) => i / 2 % 3 == 0).Take(3 * 2).ToArray(), 3, 1, 2));
        for (int t = 0; t < 3; t++) for (int i = 0; i < 6; i++) Assert.Equal(r.Output[t, 0, i], alone.Output[t, 0, i], 14);
    }

    [Fact]
    public void FullLengthsAreTheSameAsNoLengths()
    {
        var random = new Random(6);
        var layer = new Lstm<double>(2, 3, numLayers: 2, bidirectional: true);
        var x = Random<double>(random, 4, 3, 2);
        var plain = layer.Forward(x);
        var output = plain.Output.Clone();
        var hn = plain.Hn.Clone();
        var withLengths = layer.Forward(x, [4, 4, 4]);
        AssertBitwiseEqual(output, withLengths.Output);
        AssertBitwiseEqual(hn, withLengths.Hn);
    }

    [Fact]
    public void ShapeErrorsNameTheTensorAndBothShapes()
    {
        var gru = new Gru<float>(4, 3, numLayers: 2);
        var x = NdArray<float>.Zeros(5, 2, 4);
        var e = Assert.Throws<ArgumentException>(() => gru.Forward(NdArray<float>.Zeros(5, 2, 7)));
        Assert.Contains("'input'", e.Message);
        Assert.Contains("(5, 2, 7)", e.Message);
        Assert.Contains("(5, 2, 4)", e.Message);
        e = Assert.Throws<ArgumentException>(() => gru.Forward(NdArray<float>.Zeros(0, 2, 4)));
        Assert.Contains("(0, 2, 4)", e.Message);
        e = Assert.Throws<ArgumentException>(() => gru.Forward(NdArray<float>.Zeros(10, 4)));
        Assert.Contains("'input'", e.Message);
        Assert.Contains("(10, 4)", e.Message);
        e = Assert.Throws<ArgumentException>(() => gru.Forward(x, h0: NdArray<float>.Zeros(1, 2, 3)));
        Assert.Contains("'h0'", e.Message);
        Assert.Contains("(1, 2, 3)", e.Message);
        Assert.Contains("(2, 2, 3)", e.Message);
        e = Assert.Throws<ArgumentException>(() => gru.Forward(x, c0: NdArray<float>.Zeros(2, 2, 3)));
        Assert.Contains("'c0'", e.Message);
        e = Assert.Throws<ArgumentException>(() => gru.Forward(x, lengths: [5]));
        Assert.Contains("'lengths'", e.Message);
        e = Assert.Throws<ArgumentException>(() => gru.Forward(x, lengths: [5, 6]));
        Assert.Contains("lengths[1] = 6", e.Message);
        e = Assert.Throws<ArgumentException>(() => gru.Forward(x, lengths: [0, 5]));
        Assert.Contains("lengths[0] = 0", e.Message);

        var lstm = new Lstm<float>(4, 3);
        e = Assert.Throws<ArgumentException>(() => lstm.Forward(x, c0: NdArray<float>.Zeros(1, 3, 3)));
        Assert.Contains("'c0'", e.Message);
        Assert.Contains("(1, 3, 3)", e.Message);
        Assert.Contains("(1, 2, 3)", e.Message);

        Assert.Throws<InvalidOperationException>(() => new Rnn<float>(4, 3).Backward(NdArray<float>.Zeros(5, 2, 3)));
        gru.Forward(x);
        e = Assert.Throws<ArgumentException>(() => gru.Backward(NdArray<float>.Zeros(5, 2, 6)));
        Assert.Contains("'gradOutput'", e.Message);
        Assert.Contains("(5, 2, 3)", e.Message);
        e = Assert.Throws<ArgumentException>(() => gru.Backward(NdArray<float>.Zeros(5, 2, 3), NdArray<float>.Zeros(1, 2, 3)));
        Assert.Contains("'gradHn'", e.Message);
    }

    [Fact]
    public void NonFiniteValuesAreRejectedWithTheirPlace()
    {
        var rnn = new Rnn<double>(2, 3);
        var x = NdArray<double>.Zeros(3, 2, 2);
        x[1, 0, 1] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => rnn.Forward(x));
        Assert.Contains("'input'", e.Message);
        Assert.Contains("(1, 0, 1)", e.Message);
        x[1, 0, 1] = 0;
        var h0 = NdArray<double>.Zeros(1, 2, 3);
        h0[0, 1, 2] = double.PositiveInfinity;
        e = Assert.Throws<ArgumentException>(() => rnn.Forward(x, h0: h0));
        Assert.Contains("'h0'", e.Message);
        rnn.Forward(x);
        var g = NdArray<double>.Zeros(3, 2, 3);
        g[2, 1, 0] = double.NaN;
        e = Assert.Throws<ArgumentException>(() => rnn.Backward(g));
        Assert.Contains("'gradOutput'", e.Message);
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Gru<double>(0, 3));
        Assert.Throws<ArgumentException>(() => new Gru<double>(3, 0));
        Assert.Throws<ArgumentException>(() => new Lstm<double>(3, 2, numLayers: 0));
        Assert.Throws<ArgumentException>(() => new Lstm<double>(3, 2).WeightIh(0, reverse: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lstm<double>(3, 2).WeightIh(1));
        Assert.Throws<ArgumentException>(() => GruCell<double>.FromLayer(new Lstm<double>(3, 2)));
    }

    [Fact]
    public void ResultsAreFreshArraysUnlessReuseIsAsked()
    {
        var random = new Random(8);
        var x = Random<double>(random, 3, 2, 2);
        var fresh = new Gru<double>(2, 3);
        Assert.NotSame(fresh.Forward(x).Output, fresh.Forward(x).Output);
        var reused = new RecurrentLayer<double>(Options("gru-after", 2, 3, seed: 0) with { ReuseOutputs = true });
        var first = reused.Forward(x);
        Assert.Same(first.Output, reused.Forward(x).Output);
        // Feeding the layer's own h_n back as h0 (truncated BPTT) still reads the old state first.
        var next = reused.Forward(x, h0: first.Hn);
        var check = fresh.Forward(x, h0: fresh.Forward(x).Hn);
        Assert.True(MaxAbsDifference(check.Output, next.Output) < 1e-15);
    }
}

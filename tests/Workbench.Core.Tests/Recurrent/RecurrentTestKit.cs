using MathNet.Numerics.LinearAlgebra;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>Shared helpers: random tensors, layer configurations and an equation-level reference forward pass.</summary>
internal static class RecurrentTestKit
{
    public static NdArray<T> Random<T>(Random random, params int[] shape) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var a = NdArray<T>.Zeros(shape);
        for (int i = 0; i < a.Length; i++) a.Data[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return a;
    }

    /// <summary>Every result of one forward and backward pass (outputs, final states, input, state and parameter gradients), for bitwise comparisons.</summary>
    public static List<NdArray<T>> Everything<T>(RecurrentLayer<T> layer, RecurrentOutput<T> output, RecurrentGradients<T> grads)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var all = new List<NdArray<T>> { output.Output, output.Hn, grads.Input, grads.H0 };
        if (output.Cn is not null) all.Add(output.Cn);
        if (grads.C0 is not null) all.Add(grads.C0);
        all.AddRange(layer.Parameters.Select(p => p.Grad));
        return all;
    }

    public static RecurrentLayerOptions Options(string kind, int input, int hidden, int layers = 1, bool bidirectional = false,
        bool bias = true, int seed = 7)
    {
        var (k, placement, convention) = kind switch
        {
            "rnn-tanh" => (RecurrentKind.RnnTanh, GruResetPlacement.ResetAfter, GruUpdateConvention.ZWeighsPrevious),
            "rnn-relu" => (RecurrentKind.RnnRelu, GruResetPlacement.ResetAfter, GruUpdateConvention.ZWeighsPrevious),
            "lstm" => (RecurrentKind.Lstm, GruResetPlacement.ResetAfter, GruUpdateConvention.ZWeighsPrevious),
            "gru-after" => (RecurrentKind.Gru, GruResetPlacement.ResetAfter, GruUpdateConvention.ZWeighsPrevious),
            "gru-before" => (RecurrentKind.Gru, GruResetPlacement.ResetBefore, GruUpdateConvention.ZWeighsPrevious),
            "gru-after-seeds" => (RecurrentKind.Gru, GruResetPlacement.ResetAfter, GruUpdateConvention.ZWeighsCandidate),
            "gru-before-seeds" => (RecurrentKind.Gru, GruResetPlacement.ResetBefore, GruUpdateConvention.ZWeighsCandidate),
            _ => throw new ArgumentException(kind),
        };
        return new RecurrentLayerOptions(k, input, hidden)
        {
            NumLayers = layers,
            Bidirectional = bidirectional,
            Bias = bias,
            ResetPlacement = placement,
            UpdateConvention = convention,
            Seed = seed,
        };
    }

    public static readonly string[] AllKinds = ["rnn-tanh", "rnn-relu", "lstm", "gru-after", "gru-before", "gru-after-seeds", "gru-before-seeds"];

    /// <summary>
    /// The layer's forward pass recomputed sequence by sequence with the equation-level cells: the reverse direction
    /// reads each sequence backwards from its own last step, padded steps output zero.
    /// </summary>
    public static (NdArray<T> Output, NdArray<T> Hn, NdArray<T>? Cn) CellForward<T>(RecurrentLayer<T> layer, NdArray<T> input,
        int[]? lengths, NdArray<T>? h0, NdArray<T>? c0) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var o = layer.Options;
        int steps = input.Shape[0], batch = input.Shape[1], H = o.HiddenSize, D = o.NumDirections;
        bool lstm = o.Kind == RecurrentKind.Lstm;
        var hn = NdArray<T>.Zeros(o.NumLayers * D, batch, H);
        var cn = lstm ? NdArray<T>.Zeros(o.NumLayers * D, batch, H) : null;
        var output = NdArray<T>.Zeros(steps, batch, D * H);
        for (int b = 0; b < batch; b++)
        {
            int length = lengths?[b] ?? steps;
            var sequence = new List<Vector<T>>();
            for (int t = 0; t < length; t++)
                sequence.Add(Vector<T>.Build.DenseOfArray(input.Data.AsSpan((t * batch + b) * o.InputSize, o.InputSize).ToArray()));
            for (int layerIndex = 0; layerIndex < o.NumLayers; layerIndex++)
            {
                var outputs = new Vector<T>[D][];
                for (int d = 0; d < D; d++)
                {
                    int k = layerIndex * D + d;
                    var hStart = h0 is null ? null : Vector<T>.Build.DenseOfArray(h0.Data.AsSpan((k * batch + b) * H, H).ToArray());
                    var cStart = c0 is null ? null : Vector<T>.Build.DenseOfArray(c0.Data.AsSpan((k * batch + b) * H, H).ToArray());
                    var ordered = d == 1 ? Enumerable.Reverse(sequence).ToList() : sequence;
                    Vector<T>[] hs;
                    Vector<T>? lastC = null;
                    switch (o.Kind)
                    {
                        case RecurrentKind.Lstm:
                            var lsteps = LstmCell<T>.FromLayer(layer, layerIndex, d == 1).Run(ordered, hStart, cStart);
                            hs = lsteps.Select(s => s.HiddenState).ToArray();
                            lastC = lsteps[^1].CellState;
                            break;
                        case RecurrentKind.Gru:
                            hs = GruCell<T>.FromLayer(layer, layerIndex, d == 1).Run(ordered, hStart).Select(s => s.HiddenState).ToArray();
                            break;
                        default:
                            hs = RnnCell<T>.FromLayer(layer, layerIndex, d == 1).Run(ordered, hStart).Select(s => s.HiddenState).ToArray();
                            break;
                    }
                    hs[^1].ToArray().CopyTo(hn.Data, (k * batch + b) * H);
                    if (lastC is not null) lastC.ToArray().CopyTo(cn!.Data, (k * batch + b) * H);
                    if (d == 1) Array.Reverse(hs);
                    outputs[d] = hs;
                }
                sequence = Enumerable.Range(0, length)
                    .Select(t => Vector<T>.Build.DenseOfEnumerable(Enumerable.Range(0, D).SelectMany(d => outputs[d][t])))
                    .ToList();
            }
            for (int t = 0; t < length; t++) sequence[t].ToArray().CopyTo(output.Data, (t * batch + b) * D * H);
        }
        return (output, hn, cn);
    }

    public static double MaxAbsDifference<T>(NdArray<T> a, NdArray<T> b) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        Assert.Equal(a.Shape, b.Shape);
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(double.CreateChecked(a.Data[i] - b.Data[i])));
        return max;
    }

    public static void AssertBitwiseEqual<T>(NdArray<T> expected, NdArray<T> actual) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Length; i++)
            if (expected.Data[i] != actual.Data[i])
                Assert.Fail($"Element {i} differs: expected {expected.Data[i]:R}, actual {actual.Data[i]:R}.");
    }
}

using Microsoft.ML.OnnxRuntime;
using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Onnx.Tests.OnnxRuntimeRunner;

namespace Workbench.Onnx.Tests.Export;

/// <summary>
/// Every recurrent kind and configuration exported with <see cref="OnnxExport"/> and run by ONNX Runtime gives the
/// workbench's output, h_n and c_n within 1e-5 (float32 both sides).
/// </summary>
public sealed class RecurrentExportTests
{
    private const double Tolerance = 1e-5;

    /// <summary>Every recurrence: both RNN nonlinearities, the LSTM, the GRU in both reset placements and both update conventions.</summary>
    public static TheoryData<string> Kinds() => new(KindNames);

    /// <summary>The names behind <see cref="Kinds"/>.</summary>
    internal static readonly string[] KindNames = ["rnn_tanh", "rnn_relu", "lstm", "gru", "gru_reset_before", "gru_z_candidate", "gru_reset_before_z_candidate"];

    internal static RecurrentLayerOptions Options(string kind, int input, int hidden) => kind switch
    {
        "rnn_tanh" => new(RecurrentKind.RnnTanh, input, hidden),
        "rnn_relu" => new(RecurrentKind.RnnRelu, input, hidden),
        "lstm" => new(RecurrentKind.Lstm, input, hidden),
        "gru" => new(RecurrentKind.Gru, input, hidden),
        "gru_reset_before" => new(RecurrentKind.Gru, input, hidden) { ResetPlacement = GruResetPlacement.ResetBefore },
        "gru_z_candidate" => new(RecurrentKind.Gru, input, hidden) { UpdateConvention = GruUpdateConvention.ZWeighsCandidate },
        "gru_reset_before_z_candidate" => new(RecurrentKind.Gru, input, hidden)
        { ResetPlacement = GruResetPlacement.ResetBefore, UpdateConvention = GruUpdateConvention.ZWeighsCandidate },
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OneLayerFullLengthsNoStates(string kind) =>
        Check(Options(kind, 3, 4) with { Seed = 1 }, steps: 5, batch: 2, lengths: null, states: false);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void StackedBidirectionalWithLengthsAndInitialStates(string kind) =>
        Check(Options(kind, 3, 4) with { NumLayers = 3, Bidirectional = true, Seed = 2 }, steps: 6, batch: 4, lengths: [6, 2, 4, 1], states: true);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void StackedUnidirectionalWithLengthsAndInitialStates(string kind) =>
        Check(Options(kind, 2, 5) with { NumLayers = 2, Seed = 3 }, steps: 4, batch: 3, lengths: [3, 4, 1], states: true);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BidirectionalWithoutBias(string kind) =>
        Check(Options(kind, 3, 2) with { Bidirectional = true, Bias = false, Seed = 4 }, steps: 5, batch: 3, lengths: [2, 5, 3], states: true);

    /// <summary>A double layer exports as float32: ONNX Runtime on its file agrees with the double layer within float rounding.</summary>
    [Fact]
    public void DoubleLayerExportsAsFloat()
    {
        var layer = new RecurrentLayer<double>(Options("lstm", 3, 4) with { Bidirectional = true, Seed = 5 });
        var input = Random(new Random(9), 5 * 2 * 3);
        var expected = layer.Forward(new NdArray<double>(input.Select(v => (double)v).ToArray(), 5, 2, 3));
        var actual = Run(OnnxExport.ToBytes(layer, new OnnxExportOptions { SequenceLengths = false, InitialStates = false }),
            [Floats("input", input, 5, 2, 3)]);
        AssertClose(expected.Output.Data.Select(v => (float)v).ToArray(), actual["output"].Data, "output");
        AssertClose(expected.Hn.Data.Select(v => (float)v).ToArray(), actual["h_n"].Data, "h_n");
    }

    private static void Check(RecurrentLayerOptions options, int steps, int batch, int[]? lengths, bool states)
    {
        var layer = new RecurrentLayer<float>(options);
        var random = new Random(options.Seed + 100);
        int LD = options.NumLayers * options.NumDirections, H = options.HiddenSize;
        var input = new NdArray<float>(Random(random, steps * batch * options.InputSize), steps, batch, options.InputSize);
        var h0 = states ? new NdArray<float>(Random(random, LD * batch * H), LD, batch, H) : null;
        var c0 = states && options.Kind == RecurrentKind.Lstm ? new NdArray<float>(Random(random, LD * batch * H), LD, batch, H) : null;
        var expected = layer.Forward(input, lengths, h0, c0);

        var exportOptions = new OnnxExportOptions { SequenceLengths = lengths is not null, InitialStates = states };
        var feeds = new List<NamedOnnxValue> { Floats("input", input.Data, input.Shape) };
        if (lengths is not null) feeds.Add(Int32s("sequence_lens", lengths));
        if (h0 is not null) feeds.Add(Floats("h0", h0.Data, h0.Shape));
        if (c0 is not null) feeds.Add(Floats("c0", c0.Data, c0.Shape));
        var actual = Run(OnnxExport.ToBytes(layer, exportOptions), feeds);

        Assert.Equal(expected.Output.Shape, actual["output"].Shape);
        AssertClose(expected.Output.Data, actual["output"].Data, "output");
        Assert.Equal(expected.Hn.Shape, actual["h_n"].Shape);
        AssertClose(expected.Hn.Data, actual["h_n"].Data, "h_n");
        if (options.Kind == RecurrentKind.Lstm) AssertClose(expected.Cn!.Data, actual["c_n"].Data, "c_n");
        else Assert.False(actual.ContainsKey("c_n"));
    }

    internal static float[] Random(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    internal static void AssertClose(float[] expected, float[] actual, string name)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= Tolerance))
                Assert.Fail($"{name}[{i}]: workbench {expected[i]:R}, ONNX Runtime {actual[i]:R} (difference {Math.Abs(expected[i] - actual[i]):E2} > {Tolerance:E0})");
    }
}

using Microsoft.ML.OnnxRuntime;
using Workbench.Data;
using Workbench.Models;
using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Onnx.Tests.Export.RecurrentExportTests;
using static Workbench.Onnx.Tests.OnnxRuntimeRunner;

namespace Workbench.Onnx.Tests.Export;

/// <summary>
/// The sequence models exported whole (Gather of the embedding, the recurrent operators, the linear head) and run by
/// ONNX Runtime give the workbench's logits or predictions and final states within 1e-5.
/// </summary>
public sealed class ModelExportTests
{
    private static readonly int[][] Sentences = [[3, 1, 4, 1, 5], [9, 2], [6, 5, 3, 5]];

    private static SequenceModelOptions ModelOptions(string kind, int layers, bool bidirectional) =>
        new SequenceModelOptions(Options(kind, 1, 4)) { NumLayers = layers, Bidirectional = bidirectional, EmbeddingDim = 3, Seed = 7 };

    [Theory]
    [MemberData(nameof(Kinds), MemberType = typeof(RecurrentExportTests))]
    public void TaggerGivesTheSameLogits(string kind)
    {
        var model = new SequenceTagger<float>(10, 5, ModelOptions(kind, 2, true));
        var batch = TokenBatch.Create(Sentences, null, null);
        var expected = model.Forward(batch);
        var actual = RunTokens(OnnxExport.ToBytes(model, new OnnxExportOptions { InitialStates = false }), batch);
        Assert.Equal(expected.Shape, actual["logits"].Shape);
        AssertClose(expected.Data, actual["logits"].Data, "logits");
    }

    [Theory]
    [MemberData(nameof(Kinds), MemberType = typeof(RecurrentExportTests))]
    public void ClassifierGivesTheSameLogits(string kind)
    {
        var model = new SequenceClassifier<float>(10, 3, ModelOptions(kind, 2, true));
        var batch = TokenBatch.Create(Sentences, null, [0, 1, 2]);
        var expected = model.Forward(batch);
        var actual = RunTokens(OnnxExport.ToBytes(model, new OnnxExportOptions { InitialStates = false }), batch);
        Assert.Equal(expected.Shape, actual["logits"].Shape);
        AssertClose(expected.Data, actual["logits"].Data, "logits");
    }

    /// <summary>A language model carries its state: the exported graph takes it as h0 (c0) and gives it back as h_n (c_n).</summary>
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn_tanh")]
    public void LanguageModelCarriesItsState(string kind)
    {
        var model = new LanguageModel<float>(10, ModelOptions(kind, 2, false));
        int[] first = [1, 2, 3, 4, 5, 6], second = [7, 8, 9, 0, 1, 2];
        model.Forward(first, 3, 2);
        var h0 = model.HiddenState!.Clone();
        var c0 = model.CellState?.Clone();
        var expected = model.Forward(second, 3, 2);
        var feeds = new List<NamedOnnxValue>
        {
            Int64s("tokens", second.Select(t => (long)t).ToArray(), 3, 2),
            Floats("h0", h0.Data, h0.Shape),
        };
        if (c0 is not null) feeds.Add(Floats("c0", c0.Data, c0.Shape));
        var actual = Run(OnnxExport.ToBytes(model, new OnnxExportOptions { SequenceLengths = false }), feeds);
        AssertClose(expected.Data, actual["logits"].Data, "logits");
        AssertClose(model.HiddenState!.Data, actual["h_n"].Data, "h_n");
        if (c0 is not null) AssertClose(model.CellState!.Data, actual["c_n"].Data, "c_n");
    }

    [Theory]
    [InlineData("gru_reset_before", false)]
    [InlineData("lstm", true)]
    [InlineData("rnn_relu", false)]
    public void RegressorGivesTheSamePredictions(string kind, bool perStep)
    {
        var options = new SequenceModelOptions(Options(kind, 1, 4)) { Bidirectional = true, NumLayers = 2, Seed = 8 };
        var model = new SequenceRegressor<float>(2, 3, options, perStep);
        var input = new NdArray<float>(Random(new Random(3), 5 * 3 * 2), 5, 3, 2);
        int[] lengths = [5, 2, 3];
        var expected = model.Forward(input, lengths);
        var actual = Run(OnnxExport.ToBytes(model, new OnnxExportOptions { InitialStates = false }),
            [Floats("input", input.Data, input.Shape), Int32s("sequence_lens", lengths)]);
        Assert.Equal(expected.Shape, actual["predictions"].Shape);
        AssertClose(expected.Data, actual["predictions"].Data, "predictions");
    }

    private static Dictionary<string, (float[] Data, int[] Shape)> RunTokens(byte[] model, TokenBatch batch) =>
        Run(model,
        [
            Int64s("tokens", batch.Tokens.Select(t => (long)t).ToArray(), batch.Steps, batch.BatchSize),
            Int32s("sequence_lens", batch.Lengths),
        ]);
}

using Workbench.Checkpoints;
using Workbench.Data;
using Workbench.Models;
using Workbench.Recurrent;
using static Workbench.Onnx.Tests.Export.RecurrentExportTests;

namespace Workbench.Onnx.Tests.Import;

/// <summary>
/// ONNX files written by <c>torch.onnx.export</c> (Debian's torch 1.13; tests/fixtures/onnx) load as workbench layers
/// and models whose outputs are PyTorch's, stored beside each file, within 1e-5.
/// </summary>
public sealed class TorchImportTests
{
    [Theory]
    [InlineData("rnn_tanh", RecurrentKind.RnnTanh, 2, true)]
    [InlineData("rnn_relu", RecurrentKind.RnnRelu, 1, false)]
    [InlineData("gru", RecurrentKind.Gru, 2, true)]
    [InlineData("gru_uni", RecurrentKind.Gru, 2, false)]
    [InlineData("lstm", RecurrentKind.Lstm, 2, true)]
    [InlineData("lstm_uni", RecurrentKind.Lstm, 1, false)]
    public void LayerAgreesWithPyTorch(string name, RecurrentKind kind, int layers, bool bidirectional)
    {
        var layer = OnnxImport.LoadRecurrentLayer(OnnxFixtures.Path($"torch_{name}.onnx"));
        Assert.Equal(kind, layer.Options.Kind);
        Assert.Equal(layers, layer.NumLayers);
        Assert.Equal(bidirectional, layer.Options.Bidirectional);
        Assert.Equal(4, layer.HiddenSize);
        Assert.Equal(3, layer.InputSize);
        if (kind == RecurrentKind.Gru) Assert.Equal(GruResetPlacement.ResetAfter, layer.Options.ResetPlacement);

        var expected = SafetensorsFile.Load(OnnxFixtures.Path($"torch_{name}.safetensors"));
        var result = layer.Forward(expected.GetArray<float>("input"), null, expected.GetArray<float>("h0"),
            kind == RecurrentKind.Lstm ? expected.GetArray<float>("c0") : null);
        AssertClose(expected.GetArray<float>("output").Data, result.Output.Data, "output");
        AssertClose(expected.GetArray<float>("h_n").Data, result.Hn.Data, "h_n");
        if (kind == RecurrentKind.Lstm) AssertClose(expected.GetArray<float>("c_n").Data, result.Cn!.Data, "c_n");
    }

    [Fact]
    public void TaggerAgreesWithPyTorch()
    {
        var model = Assert.IsType<SequenceTagger<float>>(OnnxImport.LoadModel(OnnxFixtures.Path("torch_tagger.onnx")));
        Assert.Equal(10, model.Embedding.NumEmbeddings);
        Assert.Equal(5, model.ClassCount);
        var expected = SafetensorsFile.Load(OnnxFixtures.Path("torch_tagger.safetensors"));
        long[] tokens = expected.GetInt64("tokens");
        int steps = 5, batch = 3;
        var sequences = Enumerable.Range(0, batch).Select(b => Enumerable.Range(0, steps).Select(t => (int)tokens[t * batch + b]).ToArray()).ToArray();
        var logits = model.Forward(TokenBatch.Create(sequences, null, null));
        AssertClose(expected.GetArray<float>("logits").Data, logits.Data, "logits");
    }
}

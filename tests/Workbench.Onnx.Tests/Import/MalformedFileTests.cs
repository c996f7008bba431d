using Google.Protobuf;
using Workbench.Onnx.Proto;
using Workbench.Recurrent;

namespace Workbench.Onnx.Tests.Import;

/// <summary>
/// Files the importer cannot take give one line naming the file, the node (name and operator) and the attribute or
/// input at fault.
/// </summary>
public sealed class MalformedFileTests
{
    private static ModelProto Exported(RecurrentKind kind, bool bidirectional = false) =>
        OnnxExport.ToModel(new RecurrentLayer<float>(new RecurrentLayerOptions(kind, 3, 4) { NumLayers = 2, Bidirectional = bidirectional }), null);

    private static string Error(ModelProto model) => Error(model.ToByteArray());

    private static string Error(byte[] bytes)
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxImport.ReadRecurrentLayer(bytes, "model.onnx"));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    private static NodeProto Node(ModelProto model, string name) => model.Graph.Node.Single(n => n.Name == name);

    [Fact]
    public void MissingHiddenSizeNamesNodeAndAttribute()
    {
        var model = Exported(RecurrentKind.Gru);
        var node = Node(model, "gru_0");
        node.Attribute.Remove(node.Attribute.Single(a => a.Name == "hidden_size"));
        Assert.Equal("model.onnx: node 'gru_0' (GRU): attribute hidden_size missing", Error(model));
    }

    [Fact]
    public void ReverseOnlyDirectionIsRefused()
    {
        var model = Exported(RecurrentKind.Lstm);
        Node(model, "lstm_1").Attribute.Single(a => a.Name == "direction").S = ByteString.CopyFromUtf8("reverse");
        Assert.StartsWith("model.onnx: node 'lstm_1' (LSTM): attribute direction is 'reverse'", Error(model));
    }

    [Fact]
    public void ClipIsRefused()
    {
        var model = Exported(RecurrentKind.Lstm);
        Node(model, "lstm_0").Attribute.Add(new AttributeProto { Name = "clip", Type = AttributeProto.Types.AttributeType.Float, F = 3 });
        Assert.StartsWith("model.onnx: node 'lstm_0' (LSTM): attribute clip is not supported", Error(model));
    }

    [Fact]
    public void OtherActivationsAreRefused()
    {
        var model = Exported(RecurrentKind.Gru);
        var activations = new AttributeProto { Name = "activations", Type = AttributeProto.Types.AttributeType.Strings };
        activations.Strings.Add(ByteString.CopyFromUtf8("Sigmoid"));
        activations.Strings.Add(ByteString.CopyFromUtf8("Relu"));
        Node(model, "gru_1").Attribute.Add(activations);
        Assert.StartsWith("model.onnx: node 'gru_1' (GRU): attribute activations is [Sigmoid, Relu]", Error(model));
    }

    [Fact]
    public void UnknownAttributeIsNamed()
    {
        var model = Exported(RecurrentKind.RnnTanh);
        Node(model, "rnn_0").Attribute.Add(new AttributeProto { Name = "linear_before_reset", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        Assert.Equal("model.onnx: node 'rnn_0' (RNN): attribute linear_before_reset is not an attribute of RNN", Error(model));
    }

    [Fact]
    public void PeepholesAreRefused()
    {
        var model = Exported(RecurrentKind.Lstm);
        var node = Node(model, "lstm_0");
        while (node.Input.Count < 7) node.Input.Add("");
        node.Input.Add("rnn.l0.W");
        Assert.StartsWith("model.onnx: node 'lstm_0' (LSTM): input P (peephole weights) is not supported", Error(model));
    }

    [Fact]
    public void MisshapenWeightNamesTheInput()
    {
        var model = Exported(RecurrentKind.Gru, bidirectional: true);
        var w = model.Graph.Initializer.Single(t => t.Name == "rnn.l1.R");
        w.Dims[2] = 2;
        w.RawData = ByteString.CopyFrom(w.RawData.Span[..(w.RawData.Length / 2)]);
        Assert.Equal("model.onnx: node 'gru_1' (GRU): input R has shape (2, 12, 2), expected (2, 12, 4)", Error(model));
    }

    [Fact]
    public void ComputedWeightIsRefused()
    {
        var model = Exported(RecurrentKind.RnnRelu);
        Node(model, "rnn_0").Input[1] = "h0";
        Assert.StartsWith("model.onnx: node 'rnn_0' (RNN): input W ('h0') is not a constant", Error(model));
    }

    [Fact]
    public void WeightWithTooFewValuesIsRefused()
    {
        var model = Exported(RecurrentKind.Gru);
        var w = model.Graph.Initializer.Single(t => t.Name == "rnn.l0.W");
        w.RawData = ByteString.CopyFrom(w.RawData.Span[..8]);
        Assert.Equal("model.onnx: node 'gru_0' (GRU): input W ('rnn.l0.W') holds 2 values, but its shape (1, 12, 3) needs 36", Error(model));
    }

    [Fact]
    public void BrokenChainIsRefused()
    {
        var model = Exported(RecurrentKind.Gru);
        Node(model, "gru_1").Input[0] = "input";
        Assert.Equal("model.onnx: node 'gru_1' (GRU): input X does not come from the output Y of 'gru_0' (through Transpose, Reshape, Squeeze, Unsqueeze, Identity or Flatten only); the recurrent nodes must form one stack", Error(model));
    }

    [Fact]
    public void TruncatedFileIsNotAModel()
    {
        byte[] bytes = Exported(RecurrentKind.Lstm).ToByteArray();
        Assert.StartsWith("model.onnx: not an ONNX model: the protobuf cannot be read", Error(bytes[..(bytes.Length - 5)]));
    }

    [Fact]
    public void GraphWithoutRecurrentNodeSaysSo()
    {
        var model = Exported(RecurrentKind.Gru);
        foreach (var node in model.Graph.Node.Where(n => n.OpType == "GRU").ToList()) model.Graph.Node.Remove(node);
        Assert.Equal("model.onnx: the graph has no RNN, GRU or LSTM node", Error(model));
    }

    [Fact]
    public void LayerFileIsNotAModel()
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxImport.ReadModel(Exported(RecurrentKind.Gru).ToByteArray(), "layer.onnx"));
        Assert.StartsWith("layer.onnx: no linear head (MatMul or Gemm by a constant weight) reads the output of 'gru_1'", e.Message);
    }
}

using Workbench.Data;
using Workbench.Onnx.Tests.Export;
using Workbench.Models;
using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Onnx.Tests.Export.RecurrentExportTests;

namespace Workbench.Onnx.Tests.Import;

/// <summary>What <see cref="OnnxExport"/> writes, <see cref="OnnxImport"/> reads back as a layer or model with the same outputs.</summary>
public sealed class RoundTripTests
{
    [Theory]
    [MemberData(nameof(Kinds), MemberType = typeof(RecurrentExportTests))]
    public void LayerRoundTrips(string kind)
    {
        var original = new RecurrentLayer<float>(Options(kind, 3, 4) with { NumLayers = 2, Bidirectional = true, Seed = 11 });
        var imported = OnnxImport.ReadRecurrentLayer(OnnxExport.ToBytes(original));
        Assert.Equal(original.Options.Kind, imported.Options.Kind);
        Assert.Equal(original.Options.ResetPlacement, imported.Options.ResetPlacement);
        var input = new NdArray<float>(Random(new Random(1), 4 * 3 * 3), 4, 3, 3);
        int[] lengths = [4, 1, 3];
        var h0 = new NdArray<float>(Random(new Random(2), 4 * 3 * 4), 4, 3, 4);
        var c0 = kind == "lstm" ? new NdArray<float>(Random(new Random(3), 4 * 3 * 4), 4, 3, 4) : null;
        var expected = original.Forward(input, lengths, h0, c0);
        var actual = imported.Forward(input, lengths, h0, c0);
        AssertClose(expected.Output.Data, actual.Output.Data, "output");
        AssertClose(expected.Hn.Data, actual.Hn.Data, "h_n");
        // Only the update convention may change (ONNX has one): every other parameter comes back bit for bit.
        if (original.Options.UpdateConvention == GruUpdateConvention.ZWeighsPrevious)
            for (int i = 0; i < original.Parameters.Count; i++)
                Assert.Equal(original.Parameters[i].Value.Data, imported.Parameters[i].Value.Data);
    }

    [Fact]
    public void LayerWithoutBiasRoundTrips()
    {
        var original = new RecurrentLayer<float>(Options("lstm", 2, 3) with { Bidirectional = true, Bias = false, Seed = 12 });
        var imported = OnnxImport.ReadRecurrentLayer(OnnxExport.ToBytes(original));
        Assert.False(imported.Options.Bias);
        Assert.Equal(original.Parameters.Select(p => p.Name), imported.Parameters.Select(p => p.Name));
        for (int i = 0; i < original.Parameters.Count; i++)
            Assert.Equal(original.Parameters[i].Value.Data, imported.Parameters[i].Value.Data);
    }

    /// <summary>A head written as Gemm(x, W, b, transB = 1), as exporters write a linear layer on 2-D features, imports as the same head.</summary>
    [Fact]
    public void GemmHeadImports()
    {
        var original = new SequenceClassifier<float>(12, 4, new SequenceModelOptions(RecurrentKind.Gru, 4) { Bidirectional = true, EmbeddingDim = 3, Seed = 9 });
        var model = OnnxExport.ToModel(original, null);
        var graph = model.Graph;
        var matmul = graph.Node.Single(n => n.OpType == "MatMul");
        var add = graph.Node.Single(n => n.OpType == "Add");
        var weight = graph.Initializer.Single(t => t.Name == matmul.Input[1]);
        var w = original.Head.Weight.Value.Data;
        weight.Dims.Clear();
        weight.Dims.AddRange([4, 8]);
        weight.RawData = Google.Protobuf.ByteString.CopyFrom(w.SelectMany(BitConverter.GetBytes).ToArray());
        var gemm = new Workbench.Onnx.Proto.NodeProto { OpType = "Gemm", Name = "head.gemm" };
        gemm.Input.AddRange([matmul.Input[0], matmul.Input[1], add.Input[1]]);
        gemm.Output.Add(add.Output[0]);
        gemm.Attribute.Add(new Workbench.Onnx.Proto.AttributeProto { Name = "transB", Type = Workbench.Onnx.Proto.AttributeProto.Types.AttributeType.Int, I = 1 });
        int at = graph.Node.IndexOf(matmul);
        graph.Node.Remove(matmul);
        graph.Node.Remove(add);
        graph.Node.Insert(at, gemm);

        var imported = Assert.IsType<SequenceClassifier<float>>(OnnxImport.ReadModel(Google.Protobuf.MessageExtensions.ToByteArray(model)));
        Assert.Equal(original.Head.Weight.Value.Data, imported.Head.Weight.Value.Data);
        Assert.Equal(original.Head.Bias!.Value.Data, imported.Head.Bias!.Value.Data);
        var batch = TokenBatch.Create([[1, 2, 3], [4, 5]], null, [0, 1]);
        Assert.Equal(original.Forward(batch).Data, imported.Forward(batch).Data);
    }

    [Theory]
    [InlineData("tagger")]
    [InlineData("classifier")]
    [InlineData("language_model")]
    public void TokenModelRoundTrips(string type)
    {
        var options = new SequenceModelOptions(RecurrentKind.Lstm, 4) { NumLayers = 2, Bidirectional = type != "language_model", EmbeddingDim = 3, Seed = 5 };
        TokenSequenceModel<float> original = type switch
        {
            "tagger" => new SequenceTagger<float>(12, 4, options),
            "classifier" => new SequenceClassifier<float>(12, 4, options),
            _ => new LanguageModel<float>(12, options),
        };
        var imported = OnnxImport.ReadModel(OnnxExport.ToBytes(original));
        Assert.IsType(original.GetType(), imported);
        var batch = TokenBatch.Create([[1, 2, 3, 4], [5, 6], [7, 8, 9]], null, [0, 1, 2]);
        var expected = Forward(original, batch);
        var actual = Forward((TokenSequenceModel<float>)imported, batch);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.Data, actual.Data);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RegressorRoundTrips(bool perStep)
    {
        var original = new SequenceRegressor<float>(2, 3, new SequenceModelOptions(RecurrentKind.Gru, 4) { Bidirectional = true, Seed = 6 }, perStep);
        var imported = Assert.IsType<SequenceRegressor<float>>(OnnxImport.ReadModel(OnnxExport.ToBytes(original)));
        Assert.Equal(perStep, imported.PerStep);
        var input = new NdArray<float>(Random(new Random(4), 5 * 2 * 2), 5, 2, 2);
        Assert.Equal(original.Forward(input, [5, 3]).Data, imported.Forward(input, [5, 3]).Data);
    }

    private static NdArray<float> Forward(TokenSequenceModel<float> model, TokenBatch batch) => model switch
    {
        SequenceTagger<float> tagger => tagger.Forward(batch),
        SequenceClassifier<float> classifier => classifier.Forward(batch),
        LanguageModel<float> lm => lm.Forward(batch.Tokens, batch.Steps, batch.BatchSize),
        _ => throw new ArgumentException(model.GetType().Name),
    };
}

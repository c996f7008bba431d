using Workbench.Layers;
using Workbench.Models;
using Workbench.Onnx.Proto;
using Workbench.Recurrent;

namespace Workbench.Onnx;

/// <summary>
/// Reads an ONNX model built from ONNX's <c>RNN</c>, <c>GRU</c> or <c>LSTM</c> operators, one node per stacked layer
/// (as <see cref="OnnxExport"/> and <c>torch.onnx.export</c> write them), as a workbench <see cref="RecurrentLayer{T}"/>
/// or, with a <c>Gather</c> embedding before it and a linear head (<c>MatMul</c> + <c>Add</c>, or <c>Gemm</c>) after
/// it, as a workbench sequence model with the same outputs.
/// </summary>
/// <remarks>
/// <para>Gates are reordered from ONNX's layouts; <c>linear_before_reset = 1</c> gives the reset-after GRU and
/// <c>0</c> the reset-before GRU, both with the update convention of ONNX and PyTorch
/// (<see cref="GruUpdateConvention.ZWeighsPrevious"/>). Weights must be constants (initializers or Constant nodes).</para>
/// <para>The graph's other nodes (state slicing, transposes, reshapes, shape arithmetic) are not interpreted: the
/// recurrent nodes must form one chain, each reading the output Y of the one before.</para>
/// <para>What cannot be imported (peepholes, clipping, other activations, reverse-only direction, batch-first layout,
/// non-constant weights, a malformed file) raises <see cref="OnnxFormatException"/>, one line naming the file, the
/// node and the attribute or input.</para>
/// </remarks>
public static class OnnxImport
{
    /// <summary>The recurrent layer of the ONNX file at <paramref name="path"/>.</summary>
    /// <exception cref="OnnxFormatException">The file holds no importable recurrent layer (the message says why and where).</exception>
    public static RecurrentLayer<float> LoadRecurrentLayer(string path) => ReadRecurrentLayer(File.ReadAllBytes(path), path);

    /// <summary>The recurrent layer of a serialized ONNX model; <paramref name="name"/> stands for the file in errors.</summary>
    public static RecurrentLayer<float> ReadRecurrentLayer(byte[] model, string name = "model.onnx")
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new OnnxGraphReader(model, name);
        return BuildLayer(Chain(graph));
    }

    /// <summary>
    /// The sequence model of the ONNX file at <paramref name="path"/>: a <see cref="SequenceTagger{T}"/> (embedding, head
    /// at every step), <see cref="SequenceClassifier{T}"/> (embedding, head on the final states),
    /// <see cref="LanguageModel{T}"/> (a tagger-shaped graph written as one by <see cref="OnnxExport"/>) or
    /// <see cref="SequenceRegressor{T}"/> (float input, no embedding).
    /// </summary>
    /// <exception cref="OnnxFormatException">The file holds no importable model (the message says why and where).</exception>
    public static SequenceModel<float> LoadModel(string path) => ReadModel(File.ReadAllBytes(path), path);

    /// <summary>The sequence model of a serialized ONNX model; <paramref name="name"/> stands for the file in errors.</summary>
    public static SequenceModel<float> ReadModel(byte[] model, string name = "model.onnx")
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new OnnxGraphReader(model, name);
        var chain = Chain(graph);
        var layer = BuildLayer(chain);
        var embedding = FindEmbedding(graph, chain[0]);
        var (headWeight, headBias, perStep, outputs) = FindHead(graph, chain[^1]);
        var options = new SequenceModelOptions(layer.Options) { EmbeddingDim = embedding?.Dim ?? 32 };
        string type = graph.Metadata(OnnxExport.ModelTypeKey) ?? (embedding, perStep) switch
        {
            (null, true) => "regressor_per_step",
            (null, false) => "regressor",
            (_, true) => "tagger",
            _ => "classifier",
        };
        SequenceModel<float> result;
        Linear<float> head;
        try
        {
            switch (type)
            {
                case "regressor" or "regressor_per_step" when embedding is null:
                    var regressor = new SequenceRegressor<float>(layer.InputSize, outputs, options, perStep);
                    head = regressor.Head;
                    result = regressor;
                    break;
                case "tagger" or "language_model" or "classifier" when embedding is not null && perStep == (type != "classifier"):
                    TokenSequenceModel<float> tokens = type switch
                    {
                        "tagger" => new SequenceTagger<float>(embedding.Value.Count, outputs, options),
                        "language_model" => new LanguageModel<float>(embedding.Value.Count, options),
                        _ => new SequenceClassifier<float>(embedding.Value.Count, outputs, options),
                    };
                    embedding.Value.Table.CopyTo(tokens.Embedding.Weight.Value.Data, 0);
                    head = tokens.Head;
                    result = tokens;
                    break;
                default:
                    throw graph.Fail($"metadata {OnnxExport.ModelTypeKey} is '{type}', which does not match the graph ({(embedding is null ? "no" : "a")} Gather embedding, a head {(perStep ? "at every step" : "on the final states")})");
            }
        }
        catch (ArgumentException e) { throw graph.Fail(e.Message); }
        if (head.OutFeatures != outputs) throw graph.Fail($"the head has {outputs} outputs, but a {type} over this vocabulary has {head.OutFeatures}");
        CopyParameters(layer, result.Rnn);
        headWeight.CopyTo(head.Weight.Value.Data, 0);
        if (headBias is not null) headBias.CopyTo(head.Bias!.Value.Data, 0);
        else Array.Clear(head.Bias!.Value.Data);
        return result;
    }

    // The recurrent nodes in graph order, checked to be one stack of one kind.
    private static List<OnnxRecurrentNode> Chain(OnnxGraphReader graph)
    {
        var chain = graph.Graph.Node.Where(OnnxRecurrentNode.IsRecurrent).Select(n => OnnxRecurrentNode.Read(graph, n)).ToList();
        if (chain.Count == 0) throw graph.Fail("the graph has no RNN, GRU or LSTM node");
        var first = chain[0];
        for (int l = 1; l < chain.Count; l++)
        {
            var node = chain[l];
            var previous = chain[l - 1];
            if (node.Kind != first.Kind)
                throw graph.Fail(node.Node, $"is a {node.Kind} layer above a {first.Kind} layer; a workbench layer stacks one kind");
            if (node.HiddenSize != first.HiddenSize)
                throw graph.Fail(node.Node, $"attribute hidden_size is {node.HiddenSize}, but the layer below ('{OnnxGraphReader.NodeName(first.Node)}') has {first.HiddenSize}");
            if (node.Directions != first.Directions)
                throw graph.Fail(node.Node, $"attribute direction differs from the layer below ('{OnnxGraphReader.NodeName(first.Node)}'); every stacked layer must have the same");
            if (node.LinearBeforeReset != first.LinearBeforeReset)
                throw graph.Fail(node.Node, $"attribute linear_before_reset differs from the layer below ('{OnnxGraphReader.NodeName(first.Node)}')");
            if ((node.B is null) != (first.B is null))
                throw graph.Fail(node.Node, "input B is given in some layers and not in others; a workbench layer has biases in all or none");
            if (node.InputSize != node.Directions * node.HiddenSize)
                throw graph.Fail(node.Node, $"input W has input size {node.InputSize}, but the layer below gives {node.Directions * node.HiddenSize} features");
            var origin = graph.Origin(node.Node.Input[0]);
            if (origin is not { } o || o.Node != previous.Node || o.Index != 0)
                throw graph.Fail(node.Node, $"input X does not come from the output Y of '{OnnxGraphReader.NodeName(previous.Node)}' (through Transpose, Reshape, Squeeze, Unsqueeze, Identity or Flatten only); the recurrent nodes must form one stack");
        }
        return chain;
    }

    private static RecurrentLayer<float> BuildLayer(List<OnnxRecurrentNode> chain)
    {
        var first = chain[0];
        var options = new RecurrentLayerOptions(first.Kind, first.InputSize, first.HiddenSize)
        {
            NumLayers = chain.Count,
            Bidirectional = first.Directions == 2,
            Bias = first.B is not null,
            ResetPlacement = first.LinearBeforeReset ? GruResetPlacement.ResetAfter : GruResetPlacement.ResetBefore,
        };
        if (first.Kind != RecurrentKind.Gru) options = options with { ResetPlacement = GruResetPlacement.ResetAfter };
        var layer = new RecurrentLayer<float>(options);
        int H = first.HiddenSize, G = first.GateCount;
        for (int l = 0; l < chain.Count; l++)
        {
            var node = chain[l];
            int width = node.InputSize;
            for (int d = 0; d < node.Directions; d++)
            {
                bool reverse = d == 1;
                OnnxGateLayout.FromOnnx(node.Kind, H, width, node.W.AsSpan(d * G * H * width, G * H * width), layer.WeightIh(l, reverse).Value.Data, negateUpdate: false);
                OnnxGateLayout.FromOnnx(node.Kind, H, H, node.R.AsSpan(d * G * H * H, G * H * H), layer.WeightHh(l, reverse).Value.Data, negateUpdate: false);
                if (node.B is null) continue;
                OnnxGateLayout.FromOnnx(node.Kind, H, 1, node.B.AsSpan(d * 2 * G * H, G * H), layer.BiasIh(l, reverse)!.Value.Data, negateUpdate: false);
                OnnxGateLayout.FromOnnx(node.Kind, H, 1, node.B.AsSpan(d * 2 * G * H + G * H, G * H), layer.BiasHh(l, reverse)!.Value.Data, negateUpdate: false);
            }
        }
        return layer;
    }

    private static void CopyParameters(RecurrentLayer<float> from, RecurrentLayer<float> to)
    {
        for (int i = 0; i < from.Parameters.Count; i++) from.Parameters[i].Value.Data.CopyTo(to.Parameters[i].Value.Data, 0);
    }

    // A Gather from a constant (V, E) table whose result the first recurrent node reads.
    private static (float[] Table, int Count, int Dim)? FindEmbedding(OnnxGraphReader graph, OnnxRecurrentNode first)
    {
        var origin = graph.Origin(first.Node.Input[0]);
        if (origin is not { } o || o.Node.OpType != "Gather") return null;
        var gather = o.Node;
        if (gather.Input.Count != 2 || !graph.IsConstant(gather.Input[0]))
            throw graph.Fail(gather, "input data is not a constant embedding table");
        foreach (var attribute in gather.Attribute)
            if (attribute.Name == "axis" && attribute.I != 0) throw graph.Fail(gather, $"attribute axis is {attribute.I}; an embedding looks rows up (axis 0)");
        var (table, shape) = graph.Floats(gather, "data", gather.Input[0]);
        if (shape.Length != 2 || shape[1] != first.InputSize)
            throw graph.Fail(gather, $"input data has shape ({string.Join(", ", shape)}), expected (vocabulary, {first.InputSize})");
        return (table, (int)shape[0], (int)shape[1]);
    }

    // The linear head: MatMul by a constant (in, out) [+ Add of a constant (out)], or Gemm, reading the last recurrent
    // node's Y (a head at every step) or Y_h (a head on the final states). Returns the weight as (out, in).
    private static (float[] Weight, float[]? Bias, bool PerStep, int Outputs) FindHead(OnnxGraphReader graph, OnnxRecurrentNode last)
    {
        int features = last.Directions * last.HiddenSize;
        foreach (var node in graph.Graph.Node)
        {
            if (node.OpType is not ("MatMul" or "Gemm") || node.Input.Count < 2) continue;
            int data = graph.IsConstant(node.Input[1]) ? 0 : graph.IsConstant(node.Input[0]) ? 1 : -1;
            if (data < 0 || graph.Origin(node.Input[data]) is not { } origin || origin.Node != last.Node) continue;
            if (data != 0) throw graph.Fail(node, "the weight is the first input; a head multiplies the features by the weight (x·W)");
            bool transB = false;
            foreach (var attribute in node.Attribute)
                switch (attribute.Name)
                {
                    case "transB": transB = attribute.I != 0; break;
                    case "transA" when attribute.I != 0: throw graph.Fail(node, "attribute transA is 1; a head reads the features untransposed");
                    case "alpha" or "beta" when attribute.F != 1f: throw graph.Fail(node, $"attribute {attribute.Name} is {attribute.F}; a linear head has 1");
                }
            var (w, shape) = graph.Floats(node, "B", node.Input[1]);
            if (shape.Length != 2) throw graph.Fail(node, $"input B has shape ({string.Join(", ", shape)}); a head's weight is a matrix");
            int rows = (int)shape[0], columns = (int)shape[1];
            int inF = transB ? columns : rows, outF = transB ? rows : columns;
            if (inF != features) throw graph.Fail(node, $"input B has shape ({rows}, {columns}), but the recurrent layer gives {features} features");
            var weight = new float[outF * inF];
            for (int o = 0; o < outF; o++)
                for (int i = 0; i < inF; i++) weight[o * inF + i] = transB ? w[o * inF + i] : w[i * outF + o];
            float[]? bias = null;
            if (node.OpType == "Gemm" && node.Input.Count > 2 && node.Input[2].Length > 0) bias = Bias(graph, node, "C", node.Input[2], outF);
            else if (node.OpType == "MatMul")
                foreach (var add in graph.Consumers(node.Output[0]).Where(n => n.OpType == "Add" && n.Input.Count == 2))
                {
                    string other = add.Input[0] == node.Output[0] ? add.Input[1] : add.Input[0];
                    if (graph.IsConstant(other)) bias = Bias(graph, add, "B", other, outF);
                }
            return (weight, bias, origin.Index == 0, outF);
        }
        throw graph.Fail($"no linear head (MatMul or Gemm by a constant weight) reads the output of '{OnnxGraphReader.NodeName(last.Node)}'; load the recurrent layer alone with {nameof(LoadRecurrentLayer)}");
    }

    private static float[] Bias(OnnxGraphReader graph, NodeProto node, string input, string value, int outputs)
    {
        var (bias, shape) = graph.Floats(node, input, value);
        if (shape.Length != 1 || shape[0] != outputs) throw graph.Fail(node, $"input {input} has shape ({string.Join(", ", shape)}), expected ({outputs}) as the head's bias");
        return bias;
    }
}

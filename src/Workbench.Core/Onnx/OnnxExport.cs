using System.Numerics;
using System.Reflection;
using Google.Protobuf;
using Workbench.IO;
using Workbench.Layers;
using Workbench.Models;
using Workbench.Onnx.Proto;
using Workbench.Recurrent;
using static Workbench.Onnx.OnnxGraphBuilder;

namespace Workbench.Onnx;

/// <summary>
/// Writes a recurrent layer, or a sequence model around one, as an ONNX model built from ONNX's own <c>RNN</c>,
/// <c>GRU</c> and <c>LSTM</c> operators (opset <see cref="OpsetVersion"/>), so that ONNX Runtime and other runtimes
/// compute what the workbench computes. Weights are float32.
/// </summary>
/// <remarks>
/// <para>Inputs and outputs, with symbolic sizes <c>sequence</c> and <c>batch</c>:</para>
/// <list type="bullet">
/// <item>a layer: <c>input</c> (T, B, I) float; a token model: <c>tokens</c> (T, B) int64, looked up with
/// <c>Gather</c>; a regressor: <c>input</c> (T, B, F);</item>
/// <item>optionally <c>sequence_lens</c> (B) int32, <c>h0</c> and, for an LSTM, <c>c0</c> (L·D, B, H)
/// (<see cref="OnnxExportOptions"/>);</item>
/// <item><c>output</c> (T, B, D·H) for a layer; <c>logits</c> (T, B, C) for a tagger or language model, (B, C) for a
/// classifier; <c>predictions</c> for a regressor; always <c>h_n</c> and, for an LSTM, <c>c_n</c> (L·D, B, H).</item>
/// </list>
/// <para>Gates are reordered to ONNX's layouts (GRU z, r, h; LSTM i, o, f, c); the reset-after GRU is
/// <c>linear_before_reset = 1</c> and the reset-before GRU <c>0</c>; a GRU whose update gate weighs the candidate is
/// exported with its z weights negated, which is the same function under ONNX's convention.</para>
/// </remarks>
public static class OnnxExport
{
    /// <summary>The operator set the files declare (the recurrent operators' layout attribute exists from 14 on).</summary>
    public const int OpsetVersion = 14;

    /// <summary>The ONNX IR version the files declare (that of ONNX 1.10–1.12).</summary>
    public const long IrVersion = 8;

    /// <summary>The <c>metadata_props</c> key naming the workbench model type (layer, tagger, language_model, classifier, regressor).</summary>
    public const string ModelTypeKey = "workbench.model";

    /// <summary>Writes <paramref name="layer"/> to <paramref name="path"/> atomically.</summary>
    public static void Save<T>(RecurrentLayer<T> layer, string path, OnnxExportOptions? options = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Write(path, ToModel(layer, options));

    /// <summary>Writes <paramref name="model"/> (embedding or features, recurrent core, head) to <paramref name="path"/> atomically.</summary>
    public static void Save<T>(SequenceModel<T> model, string path, OnnxExportOptions? options = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Write(path, ToModel(model, options));

    /// <summary>The serialized ONNX model of <paramref name="layer"/>.</summary>
    public static byte[] ToBytes<T>(RecurrentLayer<T> layer, OnnxExportOptions? options = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => ToModel(layer, options).ToByteArray();

    /// <summary>The serialized ONNX model of <paramref name="model"/>.</summary>
    public static byte[] ToBytes<T>(SequenceModel<T> model, OnnxExportOptions? options = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => ToModel(model, options).ToByteArray();

    private static void Write(string path, ModelProto model)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, model.ToByteArray());
    }

    internal static ModelProto ToModel<T>(RecurrentLayer<T> layer, OnnxExportOptions? options)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layer);
        options ??= new OnnxExportOptions();
        var graph = new OnnxGraphBuilder();
        string input = graph.Input("input", TensorProto.Types.DataType.Float, "sequence", "batch", layer.InputSize);
        var values = AddCore(graph, layer, input, options);
        Publish(graph, values.Output, "output", "sequence", "batch", layer.OutputSize);
        PublishStates(graph, layer, values);
        return Model(graph, options, "layer");
    }

    internal static ModelProto ToModel<T>(SequenceModel<T> model, OnnxExportOptions? options)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        var graph = new OnnxGraphBuilder();
        var layer = model.Rnn;
        string features;
        Linear<T> head;
        if (model is TokenSequenceModel<T> tokens)
        {
            string ids = graph.Input("tokens", TensorProto.Types.DataType.Int64, "sequence", "batch");
            var e = tokens.Embedding;
            string table = graph.Initializer("embedding.weight", OnnxRecurrentGraph.Floats(e.Weight.Value.Data), e.NumEmbeddings, e.EmbeddingDim);
            features = graph.Node("Gather", "embedding", [table, ids], "embedded").Output[0];
            head = tokens.Head;
        }
        else if (model is SequenceRegressor<T> regressor)
        {
            features = graph.Input("input", TensorProto.Types.DataType.Float, "sequence", "batch", layer.InputSize);
            head = regressor.Head;
        }
        else throw new NotSupportedException($"{model.GetType().Name} is not a sequence model the ONNX export knows.");

        var values = AddCore(graph, layer, features, options);
        bool perStep = model switch
        {
            SequenceTagger<T> or LanguageModel<T> => true,
            SequenceRegressor<T> r => r.PerStep,
            _ => false,
        };
        string headInput = perStep ? values.Output : FinalStates(graph, values.TopHn);
        string result = AddLinear(graph, head, headInput);
        string name = model is SequenceRegressor<T> ? "predictions" : "logits";
        if (perStep) Publish(graph, result, name, "sequence", "batch", head.OutFeatures);
        else Publish(graph, result, name, "batch", head.OutFeatures);
        PublishStates(graph, layer, values);
        string type = model switch
        {
            SequenceTagger<T> => "tagger",
            LanguageModel<T> => "language_model",
            SequenceClassifier<T> => "classifier",
            _ => perStep ? "regressor_per_step" : "regressor",
        };
        return Model(graph, options, type);
    }

    private static OnnxRecurrentGraph.Values AddCore<T>(OnnxGraphBuilder graph, RecurrentLayer<T> layer, string input, OnnxExportOptions options)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (layer.Options.ProjectionSize > 0)
            throw new NotSupportedException($"ONNX export: the LSTM's projection (ProjectionSize = {layer.Options.ProjectionSize}, PyTorch's proj_size) has no equivalent in ONNX's LSTM operator; only layers with ProjectionSize = 0 export.");
        if (layer.Options.BatchFirst)
            throw new NotSupportedException("ONNX export: the layer is batch-first (BatchFirst = true, PyTorch's batch_first); the exported graph is time-major, so export the same weights from a layer with BatchFirst = false.");
        int LD = layer.NumLayers * layer.NumDirections, H = layer.HiddenSize;
        string? lengths = options.SequenceLengths ? graph.Input("sequence_lens", TensorProto.Types.DataType.Int32, "batch") : null;
        string? h0 = options.InitialStates ? graph.Input("h0", TensorProto.Types.DataType.Float, LD, "batch", H) : null;
        string? c0 = options.InitialStates && layer.Options.Kind == RecurrentKind.Lstm
            ? graph.Input("c0", TensorProto.Types.DataType.Float, LD, "batch", H) : null;
        return OnnxRecurrentGraph.Add(graph, layer, input, lengths, h0, c0);
    }

    // The top layer's final states (D, B, H) → (B, D·H): forward state at each sequence's last step next to the reverse
    // state at step 0, which is what the classifier and the final-state regressor read.
    private static string FinalStates(OnnxGraphBuilder graph, string topHn)
    {
        var transpose = graph.Node("Transpose", "final_states.transpose", [topHn], "final_states_bdh");
        transpose.Attribute.Add(Ints("perm", 1, 0, 2));
        string shape = graph.Int64s("final_states.shape", 0, -1);
        return graph.Node("Reshape", "final_states.reshape", [transpose.Output[0], shape], "final_states").Output[0];
    }

    // y = x Wᵀ + b as MatMul with the transposed weight (which broadcasts over (T, B, ·) and (B, ·)) and Add.
    private static string AddLinear<T>(OnnxGraphBuilder graph, Linear<T> head, string input)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int inF = head.InFeatures, outF = head.OutFeatures;
        var w = OnnxRecurrentGraph.Floats(head.Weight.Value.Data);
        var transposed = new float[w.Length];
        for (int o = 0; o < outF; o++)
            for (int i = 0; i < inF; i++) transposed[i * outF + o] = w[o * inF + i];
        string weight = graph.Initializer("head.weight_transposed", transposed, inF, outF);
        string product = graph.Node("MatMul", "head.matmul", [input, weight], "head.product").Output[0];
        if (head.Bias is null) return product;
        string bias = graph.Initializer("head.bias", OnnxRecurrentGraph.Floats(head.Bias.Value.Data), outF);
        return graph.Node("Add", "head.add", [product, bias], "head.output").Output[0];
    }

    private static void PublishStates<T>(OnnxGraphBuilder graph, RecurrentLayer<T> layer, OnnxRecurrentGraph.Values values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int LD = layer.NumLayers * layer.NumDirections, H = layer.HiddenSize;
        Publish(graph, values.Hn, "h_n", LD, "batch", H);
        if (values.Cn is not null) Publish(graph, values.Cn, "c_n", LD, "batch", H);
    }

    // Graph outputs get their public names through Identity, whatever node computed them.
    private static void Publish(OnnxGraphBuilder graph, string value, string name, params object[] dims)
    {
        string output = graph.Node("Identity", name, [value], name).Output[0];
        graph.Output(output, TensorProto.Types.DataType.Float, dims);
    }

    private static ModelProto Model(OnnxGraphBuilder graph, OnnxExportOptions options, string type)
    {
        graph.Graph.Name = options.GraphName;
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Workbench",
            ProducerVersion = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            Graph = graph.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        model.MetadataProps.Add(new StringStringEntryProto { Key = ModelTypeKey, Value = type });
        return model;
    }
}

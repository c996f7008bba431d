using System.Buffers.Binary;
using Google.Protobuf;
using Workbench.Onnx.Proto;

namespace Workbench.Onnx;

/// <summary>
/// A parsed ONNX graph for the importer: its constant tensors (initializers and <c>Constant</c> nodes), which node
/// produces each value, and the way back from a value through shape-only nodes to the node that computed it.
/// </summary>
internal sealed class OnnxGraphReader
{
    // Nodes that move or reshape values without computing new ones: a value is traced back through them.
    private static readonly HashSet<string> PassThrough = new(StringComparer.Ordinal) { "Transpose", "Reshape", "Squeeze", "Unsqueeze", "Identity", "Flatten" };

    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (NodeProto Node, int Index)> _producers = new(StringComparer.Ordinal);

    public OnnxGraphReader(byte[] bytes, string where)
    {
        Where = where;
        try { Model = ModelProto.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e) { throw Fail($"not an ONNX model: the protobuf cannot be read ({e.Message.ReplaceLineEndings(" ")})"); }
        Graph = Model.Graph ?? throw Fail("the model has no graph");
        if (Graph.Node.Count == 0) throw Fail("the graph has no nodes");
        foreach (var opset in Model.OpsetImport)
            if (opset.Domain is "" or "ai.onnx" && opset.Version < 7)
                throw Fail($"opset {opset.Version} is older than 7, the first with today's RNN, GRU and LSTM");
        foreach (var tensor in Graph.Initializer) _constants[tensor.Name] = tensor;
        foreach (var node in Graph.Node)
        {
            for (int i = 0; i < node.Output.Count; i++)
                if (node.Output[i].Length > 0) _producers[node.Output[i]] = (node, i);
            if (node.OpType == "Constant" && node.Output.Count == 1)
                foreach (var attribute in node.Attribute)
                    if (attribute.Name == "value" && attribute.T is not null) _constants[node.Output[0]] = attribute.T;
        }
    }

    /// <summary>The file (or name) errors are reported against.</summary>
    public string Where { get; }

    public ModelProto Model { get; }

    public GraphProto Graph { get; }

    /// <summary>The metadata value under <paramref name="key"/>, or null.</summary>
    public string? Metadata(string key) => Model.MetadataProps.FirstOrDefault(p => p.Key == key)?.Value;

    public OnnxFormatException Fail(string problem) => new(Where, null, null, problem);

    public OnnxFormatException Fail(NodeProto node, string problem) => new(Where, NodeName(node), node.OpType, problem);

    /// <summary>A node's name, or a description from its first output when it has none.</summary>
    public static string NodeName(NodeProto node) => node.Name.Length > 0 ? node.Name : $"<unnamed, output {node.Output.FirstOrDefault()}>";

    public bool IsConstant(string value) => _constants.ContainsKey(value);

    /// <summary>
    /// The node and output index that computed <paramref name="value"/>, skipping shape-only nodes; null for a graph
    /// input or a constant.
    /// </summary>
    public (NodeProto Node, int Index)? Origin(string value)
    {
        for (int hops = 0; hops <= Graph.Node.Count; hops++)
        {
            if (!_producers.TryGetValue(value, out var producer)) return null;
            if (!PassThrough.Contains(producer.Node.OpType) || producer.Node.Input.Count == 0) return producer;
            value = producer.Node.Input[0];
        }
        return null;
    }

    /// <summary>The nodes that read <paramref name="value"/>.</summary>
    public IEnumerable<NodeProto> Consumers(string value) => Graph.Node.Where(n => n.Input.Contains(value));

    /// <summary>A float constant's values and shape; the error names the node and the input that should hold it.</summary>
    public (float[] Data, long[] Shape) Floats(NodeProto node, string inputName, string value)
    {
        if (!_constants.TryGetValue(value, out var tensor))
            throw Fail(node, $"input {inputName} ('{value}') is not a constant (an initializer or a Constant node); the workbench imports weights, not computed values");
        long[] shape = tensor.Dims.ToArray();
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0) throw Fail(node, $"input {inputName} ('{value}') has a negative dimension");
            count = checked(count * d);
        }
        if (tensor.HasDataLocation && tensor.DataLocation == TensorProto.Types.DataLocation.External)
            throw Fail(node, $"input {inputName} ('{value}') keeps its data in an external file, which the importer does not read");
        var type = (TensorProto.Types.DataType)tensor.DataType;
        float[] data = type switch
        {
            TensorProto.Types.DataType.Float => tensor.RawData.Length > 0 ? RawFloats(tensor.RawData.Span) : tensor.FloatData.ToArray(),
            TensorProto.Types.DataType.Double => tensor.RawData.Length > 0 ? RawDoubles(tensor.RawData.Span) : tensor.DoubleData.Select(v => (float)v).ToArray(),
            _ => throw Fail(node, $"input {inputName} ('{value}') has element type {type}; weights must be float or double"),
        };
        if (data.Length != count)
            throw Fail(node, $"input {inputName} ('{value}') holds {data.Length} values, but its shape ({string.Join(", ", shape)}) needs {count}");
        return (data, shape);
    }

    private static float[] RawFloats(ReadOnlySpan<byte> raw)
    {
        var data = new float[raw.Length / sizeof(float)];
        for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float)));
        return data;
    }

    private static float[] RawDoubles(ReadOnlySpan<byte> raw)
    {
        var data = new float[raw.Length / sizeof(double)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw.Slice(i * sizeof(double)));
        return data;
    }
}

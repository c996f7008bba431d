using Google.Protobuf;
using Workbench.Onnx.Proto;

namespace Workbench.Onnx;

/// <summary>
/// Builds an ONNX graph: float and int64 initializers (raw little-endian data), nodes with attributes, and typed
/// inputs and outputs whose dimensions are numbers or symbolic names ("sequence", "batch").
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);      // values and initializers
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);

    public GraphProto Graph { get; } = new();

    /// <summary>A float initializer named <paramref name="name"/> (the name is made unique if taken).</summary>
    public string Initializer(string name, float[] data, params long[] dims)
    {
        var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        var bytes = new byte[data.Length * sizeof(float)];
        for (int i = 0; i < data.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * sizeof(float)), data[i]);
        if (!BitConverter.IsLittleEndian) ReverseEach(bytes, sizeof(float));
        tensor.RawData = ByteString.CopyFrom(bytes);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A one-dimensional int64 initializer (axes, starts, shapes).</summary>
    public string Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>
    /// Adds a node; empty strings stand for skipped optional inputs and trailing ones are dropped. Returns the node
    /// so that attributes can be added.
    /// </summary>
    public NodeProto Node(string opType, string name, string[] inputs, params string[] outputs)
    {
        int count = inputs.Length;
        while (count > 0 && inputs[count - 1].Length == 0) count--;
        var node = new NodeProto { OpType = opType, Name = Unique(_nodeNames, name) };
        node.Input.AddRange(inputs.Take(count));
        foreach (string output in outputs) node.Output.Add(Unique(output));
        Graph.Node.Add(node);
        return node;
    }

    /// <summary>A name not used yet by a value or initializer: <paramref name="name"/>, else name_1, name_2, ...</summary>
    public string Unique(string name) => Unique(_names, name);

    private static string Unique(HashSet<string> taken, string name)
    {
        if (taken.Add(name)) return name;
        for (int i = 1; ; i++)
            if (taken.Add($"{name}_{i}")) return $"{name}_{i}";
    }

    /// <summary>Declares a graph input.</summary>
    public string Input(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        var value = Value(Unique(name), type, dims);
        Graph.Input.Add(value);
        return value.Name;
    }

    /// <summary>Declares a graph output (the value must be produced by a node under that name).</summary>
    public void Output(string name, TensorProto.Types.DataType type, params object[] dims) => Graph.Output.Add(Value(name, type, dims));

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object dim in dims)
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"A dimension is a size or a symbolic name, not {dim.GetType().Name}."),
            });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static void ReverseEach(byte[] bytes, int size)
    {
        for (int i = 0; i < bytes.Length; i += size) Array.Reverse(bytes, i, size);
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Strings(string name, params string[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }
}

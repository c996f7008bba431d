namespace Workbench.Onnx;

/// <summary>
/// An ONNX file that cannot be read as a workbench model: not a protobuf ModelProto, a node of an unsupported type,
/// an attribute or input that is missing or outside what the workbench's layers compute. The one-line message names
/// the file, and the node (name and operator type) and attribute or input when the fault is in one:
/// <c>model.onnx: node 'gru_0' (GRU): attribute hidden_size missing</c>.
/// </summary>
public sealed class OnnxFormatException : Exception
{
    /// <summary>Creates the exception; <paramref name="where"/> is the file's path (or a name for an in-memory model).</summary>
    public OnnxFormatException(string where, string? node, string? opType, string problem)
        : base(Format(where, node, opType, problem))
    {
        File = where;
        Node = node;
        Problem = problem;
    }

    /// <summary>The file (or the name of an in-memory model) the fault is in.</summary>
    public string File { get; }

    /// <summary>The node's name, or null when the fault is not in a node.</summary>
    public string? Node { get; }

    /// <summary>What was wrong, without the file and node.</summary>
    public string Problem { get; }

    private static string Format(string where, string? node, string? opType, string problem) =>
        node is null ? $"{where}: {problem}" : $"{where}: node '{node}' ({opType}): {problem}";
}

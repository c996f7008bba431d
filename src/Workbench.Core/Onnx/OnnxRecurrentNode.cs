using System.Text;
using Workbench.Onnx.Proto;
using Workbench.Recurrent;

namespace Workbench.Onnx;

/// <summary>
/// One ONNX <c>RNN</c>, <c>GRU</c> or <c>LSTM</c> node read and checked against what a workbench layer computes: its
/// attributes, and its W (D, G·H, in), R (D, G·H, H) and optional B (D, 2·G·H) as constants, still in ONNX's gate order.
/// </summary>
internal sealed record OnnxRecurrentNode(NodeProto Node, RecurrentKind Kind, int Directions, int HiddenSize, int InputSize,
    bool LinearBeforeReset, float[] W, float[] R, float[]? B)
{
    public static bool IsRecurrent(NodeProto node) => node.Domain is "" or "ai.onnx" && node.OpType is "RNN" or "GRU" or "LSTM";

    public int GateCount => Kind switch { RecurrentKind.Lstm => 4, RecurrentKind.Gru => 3, _ => 1 };

    public static OnnxRecurrentNode Read(OnnxGraphReader graph, NodeProto node)
    {
        var attributes = new Dictionary<string, AttributeProto>(StringComparer.Ordinal);
        foreach (var attribute in node.Attribute) attributes[attribute.Name] = attribute;
        string op = node.OpType;
        string[] known = op switch
        {
            "LSTM" => ["activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size", "input_forget", "layout"],
            "GRU" => ["activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size", "layout", "linear_before_reset"],
            _ => ["activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size", "layout"],
        };
        foreach (string name in attributes.Keys)
            if (!known.Contains(name)) throw graph.Fail(node, $"attribute {name} is not an attribute of {op}");
        foreach (string name in (string[])["activation_alpha", "activation_beta", "clip"])
            if (attributes.ContainsKey(name)) throw graph.Fail(node, $"attribute {name} is not supported: the workbench's layers have no {(name == "clip" ? "cell clipping" : "activation parameters")}");

        if (!attributes.TryGetValue("hidden_size", out var hiddenAttribute)) throw graph.Fail(node, "attribute hidden_size missing");
        long hidden = Int(graph, node, hiddenAttribute);
        if (hidden < 1 || hidden > int.MaxValue) throw graph.Fail(node, $"attribute hidden_size is {hidden}; it must be a positive int");
        string direction = attributes.TryGetValue("direction", out var directionAttribute) ? Text(graph, node, directionAttribute) : "forward";
        int directions = direction switch
        {
            "forward" => 1,
            "bidirectional" => 2,
            "reverse" => throw graph.Fail(node, "attribute direction is 'reverse': the workbench's layers run forward or both ways, not reverse only"),
            _ => throw graph.Fail(node, $"attribute direction is '{direction}', expected forward, reverse or bidirectional"),
        };
        if (attributes.TryGetValue("layout", out var layout) && Int(graph, node, layout) != 0)
            throw graph.Fail(node, $"attribute layout is {Int(graph, node, layout)}: only layout 0 (sequence first, as the workbench) is supported");
        if (attributes.TryGetValue("input_forget", out var inputForget) && Int(graph, node, inputForget) != 0)
            throw graph.Fail(node, "attribute input_forget is 1 (coupled input and forget gates), which the workbench's LSTM does not have");
        bool linearBeforeReset = false;
        if (attributes.TryGetValue("linear_before_reset", out var lbr))
        {
            long value = Int(graph, node, lbr);
            if (value is not (0 or 1)) throw graph.Fail(node, $"attribute linear_before_reset is {value}, expected 0 or 1");
            linearBeforeReset = value == 1;
        }

        string[] defaults = op switch { "LSTM" => ["Sigmoid", "Tanh", "Tanh"], "GRU" => ["Sigmoid", "Tanh"], _ => ["Tanh"] };
        var kind = op switch { "LSTM" => RecurrentKind.Lstm, "GRU" => RecurrentKind.Gru, _ => RecurrentKind.RnnTanh };
        if (attributes.TryGetValue("activations", out var activations))
        {
            if (activations.Type != AttributeProto.Types.AttributeType.Strings)
                throw graph.Fail(node, "attribute activations must be a list of strings");
            string[] names = activations.Strings.Select(s => s.ToStringUtf8()).ToArray();
            if (names.Length != defaults.Length * directions)
                throw graph.Fail(node, $"attribute activations has {names.Length} entries; {op} with {directions} direction(s) needs {defaults.Length * directions}");
            if (op == "RNN" && names.All(n => n.Equals("Relu", StringComparison.OrdinalIgnoreCase))) kind = RecurrentKind.RnnRelu;
            else
                for (int i = 0; i < names.Length; i++)
                    if (!names[i].Equals(defaults[i % defaults.Length], StringComparison.OrdinalIgnoreCase))
                        throw graph.Fail(node, $"attribute activations is [{string.Join(", ", names)}]; the workbench computes {op} with [{string.Join(", ", Enumerable.Repeat(defaults, directions).SelectMany(a => a))}]{(op == "RNN" ? " or all Relu" : "")}");
        }

        if (node.Input.Count < 3 || node.Input[1].Length == 0 || node.Input[2].Length == 0)
            throw graph.Fail(node, "inputs W and R missing");
        if (op == "LSTM" && node.Input.Count > 7 && node.Input[7].Length > 0)
            throw graph.Fail(node, "input P (peephole weights) is not supported: the workbench's LSTM has no peepholes");
        int gates = op switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
        long rows = gates * hidden;
        var (w, wShape) = graph.Floats(node, "W", node.Input[1]);
        if (wShape.Length != 3 || wShape[0] != directions || wShape[1] != rows || wShape[2] < 1)
            throw graph.Fail(node, $"input W has shape ({string.Join(", ", wShape)}), expected ({directions}, {rows}, input_size)");
        var (r, rShape) = graph.Floats(node, "R", node.Input[2]);
        if (rShape.Length != 3 || rShape[0] != directions || rShape[1] != rows || rShape[2] != hidden)
            throw graph.Fail(node, $"input R has shape ({string.Join(", ", rShape)}), expected ({directions}, {rows}, {hidden})");
        float[]? b = null;
        if (node.Input.Count > 3 && node.Input[3].Length > 0)
        {
            (b, long[] bShape) = graph.Floats(node, "B", node.Input[3]);
            if (bShape.Length != 2 || bShape[0] != directions || bShape[1] != 2 * rows)
                throw graph.Fail(node, $"input B has shape ({string.Join(", ", bShape)}), expected ({directions}, {2 * rows})");
        }
        return new OnnxRecurrentNode(node, kind, directions, (int)hidden, checked((int)wShape[2]), linearBeforeReset, w, r, b);
    }

    private static long Int(OnnxGraphReader graph, NodeProto node, AttributeProto attribute) =>
        attribute.Type == AttributeProto.Types.AttributeType.Int ? attribute.I
            : throw graph.Fail(node, $"attribute {attribute.Name} must be an int, not {attribute.Type}");

    private static string Text(OnnxGraphReader graph, NodeProto node, AttributeProto attribute) =>
        attribute.Type == AttributeProto.Types.AttributeType.String ? Encoding.UTF8.GetString(attribute.S.Span)
            : throw graph.Fail(node, $"attribute {attribute.Name} must be a string, not {attribute.Type}");
}

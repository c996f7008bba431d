using System.Numerics;
using Workbench.Onnx.Proto;
using Workbench.Recurrent;
using static Workbench.Onnx.OnnxGraphBuilder;

namespace Workbench.Onnx;

/// <summary>
/// A <see cref="RecurrentLayer{T}"/> as ONNX nodes: ONNX's RNN, GRU and LSTM are single-layer, so each stacked layer is
/// one node (both directions in it), whose output Y (T, D, B, H) is transposed and reshaped to (T, B, D·H) for the
/// layer above; each layer's slice of h0/c0 is cut with Slice and the final states are concatenated back to (L·D, B, H).
/// </summary>
internal static class OnnxRecurrentGraph
{
    /// <summary>The values one recurrent layer stack adds to a graph.</summary>
    public sealed record Values(string Output, string Hn, string? Cn, string TopHn);

    /// <summary>Adds <paramref name="layer"/> reading <paramref name="input"/> (T, B, I); null names skip optional inputs.</summary>
    public static Values Add<T>(OnnxGraphBuilder graph, RecurrentLayer<T> layer, string input, string? sequenceLens, string? h0, string? c0)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var o = layer.Options;
        int L = o.NumLayers, D = o.NumDirections, H = o.HiddenSize, G = o.GateCount;
        bool lstm = o.Kind == RecurrentKind.Lstm;
        string op = o.Kind switch { RecurrentKind.Lstm => "LSTM", RecurrentKind.Gru => "GRU", _ => "RNN" };
        string x = input;
        var hn = new List<string>();
        var cn = new List<string>();
        for (int l = 0; l < L; l++)
        {
            int width = l == 0 ? o.InputSize : D * H;
            var w = new float[D * G * H * width];
            var r = new float[D * G * H * H];
            var b = o.Bias ? new float[D * 2 * G * H] : null;
            bool negate = o.Kind == RecurrentKind.Gru && o.UpdateConvention == GruUpdateConvention.ZWeighsCandidate;
            for (int d = 0; d < D; d++)
            {
                bool reverse = d == 1;
                OnnxGateLayout.ToOnnx(o.Kind, H, width, Floats(layer.WeightIh(l, reverse).Value.Data), w.AsSpan(d * G * H * width, G * H * width), negate);
                OnnxGateLayout.ToOnnx(o.Kind, H, H, Floats(layer.WeightHh(l, reverse).Value.Data), r.AsSpan(d * G * H * H, G * H * H), negate);
                if (b is null) continue;
                OnnxGateLayout.ToOnnx(o.Kind, H, 1, Floats(layer.BiasIh(l, reverse)!.Value.Data), b.AsSpan(d * 2 * G * H, G * H), negate);
                OnnxGateLayout.ToOnnx(o.Kind, H, 1, Floats(layer.BiasHh(l, reverse)!.Value.Data), b.AsSpan(d * 2 * G * H + G * H, G * H), negate);
            }
            string prefix = $"rnn.l{l}";
            string wName = graph.Initializer($"{prefix}.W", w, D, G * H, width);
            string rName = graph.Initializer($"{prefix}.R", r, D, G * H, H);
            string bName = b is null ? "" : graph.Initializer($"{prefix}.B", b, D, 2 * G * H);
            string initialH = h0 is null ? "" : LayerSlice(graph, h0, l, L, D, $"{prefix}.h0");
            string initialC = c0 is null ? "" : LayerSlice(graph, c0, l, L, D, $"{prefix}.c0");
            string[] inputs = lstm
                ? [x, wName, rName, bName, sequenceLens ?? "", initialH, initialC]
                : [x, wName, rName, bName, sequenceLens ?? "", initialH];
            string[] outputs = lstm ? [$"{prefix}.Y", $"{prefix}.Y_h", $"{prefix}.Y_c"] : [$"{prefix}.Y", $"{prefix}.Y_h"];
            var node = graph.Node(op, $"{op.ToLowerInvariant()}_{l}", inputs, outputs);
            node.Attribute.Add(Int("hidden_size", H));
            node.Attribute.Add(String("direction", D == 2 ? "bidirectional" : "forward"));
            if (o.Kind is RecurrentKind.RnnTanh or RecurrentKind.RnnRelu)
                node.Attribute.Add(Strings("activations", Enumerable.Repeat(o.Kind == RecurrentKind.RnnRelu ? "Relu" : "Tanh", D).ToArray()));
            if (o.Kind == RecurrentKind.Gru)
                node.Attribute.Add(Int("linear_before_reset", o.ResetPlacement == GruResetPlacement.ResetAfter ? 1 : 0));
            // (T, D, B, H) → (T, B, D, H) → (T, B, D·H): the directions side by side, forward first, as the workbench.
            var transpose = graph.Node("Transpose", $"{prefix}.transpose", [node.Output[0]], $"{prefix}.Y_tbdh");
            transpose.Attribute.Add(Ints("perm", 0, 2, 1, 3));
            string shape = graph.Int64s($"{prefix}.shape", 0, 0, -1);
            x = graph.Node("Reshape", $"{prefix}.reshape", [transpose.Output[0], shape], $"{prefix}.output").Output[0];
            hn.Add(node.Output[1]);
            if (lstm) cn.Add(node.Output[2]);
        }
        return new Values(x, Concat(graph, hn, "rnn.h_n"), lstm ? Concat(graph, cn, "rnn.c_n") : null, hn[^1]);
    }

    // Rows l·D .. l·D + D of a (L·D, B, H) state; the whole tensor when there is one layer.
    private static string LayerSlice(OnnxGraphBuilder graph, string state, int layer, int layers, int directions, string name)
    {
        if (layers == 1) return state;
        string starts = graph.Int64s($"{name}.starts", layer * directions);
        string ends = graph.Int64s($"{name}.ends", (layer + 1) * directions);
        string axes = graph.Int64s($"{name}.axes", 0);
        return graph.Node("Slice", $"{name}.slice", [state, starts, ends, axes], name).Output[0];
    }

    private static string Concat(OnnxGraphBuilder graph, List<string> states, string name)
    {
        if (states.Count == 1) return states[0];
        var node = graph.Node("Concat", name + ".concat", states.ToArray(), name);
        node.Attribute.Add(Int("axis", 0));
        return node.Output[0];
    }

    /// <summary>The values as float32, ONNX's type for the recurrent operators in every runtime.</summary>
    public static float[] Floats<T>(T[] data) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (data is float[] floats) return floats;
        var result = new float[data.Length];
        for (int i = 0; i < data.Length; i++) result[i] = float.CreateChecked(data[i]);
        return result;
    }
}

using System.Numerics;
using Workbench.Checkpoints;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Parity;

/// <summary>
/// torch.nn.RNN (tanh, relu), GRU and LSTM, 2 layers, bidirectional, packed variable-length batches
/// (fixtures case_*.safetensors / model_*.safetensors): outputs, final states and every gradient.
/// </summary>
public class RecurrentParityTests
{
    public static TheoryData<string> Cases() => new("rnn_tanh", "rnn_relu", "gru", "lstm", "lstm_uni", "gru_uni");

    // The LSTM's float step at every SIMD width this machine runs (None: the unfused step).
    public static TheoryData<string, string> LstmWidths()
    {
        var data = new TheoryData<string, string>();
        foreach (FusedLanes lanes in new[] { FusedLanes.Vector512, FusedLanes.Vector256, FusedLanes.None })
            if (FusedLanesSupport.IsSupported(lanes))
            {
                data.Add("lstm", lanes.ToString());
                data.Add("lstm_uni", lanes.ToString());
            }
        return data;
    }

    private static void Matches<T>(string name, double tolerance, FusedLanes? lanes = null) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        RecurrentLayer<T> layer = RecurrentCheckpoint.Load<T>(PyTorchFixtures.PathOf($"model_{name}.safetensors"));
        if (lanes is { } width) layer.FusedLanes = width;
        SafetensorsFile c = PyTorchFixtures.Load($"case_{name}.safetensors");
        int[]? lengths = c.Contains("lengths") ? c.GetInt64("lengths").Select(v => (int)v).ToArray() : null;
        NdArray<T>? c0 = c.Contains("c0") ? c.GetArray<T>("c0") : null;
        RecurrentOutput<T> result = layer.Forward(c.GetArray<T>("input"), lengths, c.GetArray<T>("h0"), c0);
        PyTorchFixtures.AssertClose(c.GetArray<double>("output"), result.Output, tolerance, $"{name} output");
        PyTorchFixtures.AssertClose(c.GetArray<double>("h_n"), result.Hn, tolerance, $"{name} h_n");
        if (c0 is not null) PyTorchFixtures.AssertClose(c.GetArray<double>("c_n"), result.Cn!, tolerance, $"{name} c_n");
        else Assert.Null(result.Cn);

        layer.ZeroGrad();
        RecurrentGradients<T> grads = layer.Backward(c.GetArray<T>("grad_output"), c.GetArray<T>("grad_h_n"),
            c.Contains("grad_c_n") ? c.GetArray<T>("grad_c_n") : null);
        PyTorchFixtures.AssertClose(c.GetArray<double>("grad.input"), grads.Input, tolerance, $"{name} grad input");
        PyTorchFixtures.AssertClose(c.GetArray<double>("grad.h0"), grads.H0, tolerance, $"{name} grad h0");
        if (c0 is not null) PyTorchFixtures.AssertClose(c.GetArray<double>("grad.c0"), grads.C0!, tolerance, $"{name} grad c0");
        Assert.Equal(c.Names.Count(n => n.StartsWith("grad.", StringComparison.Ordinal) && n.Contains("_l")), layer.Parameters.Count);
        foreach (Parameter<T> p in layer.Parameters)
            PyTorchFixtures.AssertClose(c.GetArray<double>("grad." + p.Name), p.Grad, tolerance, $"{name} grad {p.Name}");
    }

    [Theory, MemberData(nameof(Cases))]
    public void MatchesTorchInFloat(string name) => Matches<float>(name, 1e-5);

    [Theory, MemberData(nameof(LstmWidths))]
    public void LstmMatchesTorchInFloatAtEveryWidth(string name, string width) => Matches<float>(name, 1e-5, Enum.Parse<FusedLanes>(width));

    [Theory, MemberData(nameof(Cases))]
    public void MatchesTorchInDouble(string name) => Matches<double>(name, 1e-9);
}

using System.Numerics;
using Workbench.Checkpoints;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Parity;

/// <summary>
/// torch.nn.LSTM(proj_size=2), hidden size 4 (fixtures case_lstm_proj_*.safetensors / model_lstm_proj_*.safetensors):
/// uni- and bidirectional, 1 and 2 layers, with and without bias, from given (h0, c0) and from torch's zero states
/// (hx=None), packed variable lengths in the bidirectional cases; outputs, h_n, c_n and every gradient, the
/// state_dict loaded from torch's own file.
/// </summary>
public class LstmProjectionParityTests
{
    public static TheoryData<string> Cases() => new(
        "lstm_proj_uni1", "lstm_proj_uni1_nobias_zero", "lstm_proj_uni2_zero", "lstm_proj_uni2_nobias",
        "lstm_proj_bi1_zero", "lstm_proj_bi1_nobias", "lstm_proj_bi2", "lstm_proj_bi2_nobias_zero");

    private static void Matches<T>(string name, double tolerance) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        RecurrentLayer<T> layer = RecurrentCheckpoint.Load<T>(PyTorchFixtures.PathOf($"model_{name}.safetensors"));
        Assert.Equal(2, layer.Options.ProjectionSize);
        SafetensorsFile c = PyTorchFixtures.Load($"case_{name}.safetensors");
        int[]? lengths = c.Contains("lengths") ? c.GetInt64("lengths").Select(v => (int)v).ToArray() : null;
        // Cases without h0/c0 ran from torch's hx=None: the layer gets null too.
        NdArray<T>? h0 = c.Contains("h0") ? c.GetArray<T>("h0") : null;
        NdArray<T>? c0 = c.Contains("c0") ? c.GetArray<T>("c0") : null;
        Assert.Equal(h0 is null, c0 is null);
        RecurrentOutput<T> result = layer.Forward(c.GetArray<T>("input"), lengths, h0, c0);
        PyTorchFixtures.AssertClose(c.GetArray<double>("output"), result.Output, tolerance, $"{name} output");
        PyTorchFixtures.AssertClose(c.GetArray<double>("h_n"), result.Hn, tolerance, $"{name} h_n");
        PyTorchFixtures.AssertClose(c.GetArray<double>("c_n"), result.Cn!, tolerance, $"{name} c_n");

        layer.ZeroGrad();
        RecurrentGradients<T> grads = layer.Backward(c.GetArray<T>("grad_output"), c.GetArray<T>("grad_h_n"), c.GetArray<T>("grad_c_n"));
        PyTorchFixtures.AssertClose(c.GetArray<double>("grad.input"), grads.Input, tolerance, $"{name} grad input");
        PyTorchFixtures.AssertClose(c.GetArray<double>("grad.h0"), grads.H0, tolerance, $"{name} grad h0");
        PyTorchFixtures.AssertClose(c.GetArray<double>("grad.c0"), grads.C0!, tolerance, $"{name} grad c0");
        Assert.Equal(c.Names.Count(n => n.StartsWith("grad.", StringComparison.Ordinal) && n.Contains("_l")), layer.Parameters.Count);
        Assert.Contains(layer.Parameters, p => p.Name == "weight_hr_l0");
        foreach (Parameter<T> p in layer.Parameters)
            PyTorchFixtures.AssertClose(c.GetArray<double>("grad." + p.Name), p.Grad, tolerance, $"{name} grad {p.Name}");
    }

    [Theory, MemberData(nameof(Cases))]
    public void MatchesTorchInFloat(string name) => Matches<float>(name, 1e-5);

    [Theory, MemberData(nameof(Cases))]
    public void MatchesTorchInDouble(string name) => Matches<double>(name, 1e-9);
}

using System.Numerics;
using Workbench.Checkpoints;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Parity;

/// <summary>
/// torch.nn.RNNCell (tanh, relu), GRUCell and LSTMCell, with and without bias, called in a loop of steps from C#
/// (fixtures model_cell_*/case_cell_*): every step's h (and c), then backward through the loop by chaining Backward,
/// against torch's autograd: ∂L/∂x of every step, ∂L/∂h0, ∂L/∂c0 and every parameter's gradient.
/// </summary>
public class RecurrentCellParityTests
{
    public static TheoryData<string> Cases() => new("rnn_tanh", "rnn_relu", "gru", "lstm", "rnn_tanh_nobias", "gru_nobias", "lstm_nobias");

    private static NdArray<T> Slice<T>(NdArray<T> a, int t) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int rows = a.Shape[1], width = a.Shape[2];
        var result = NdArray<T>.Zeros(rows, width);
        a.Data.AsSpan(t * rows * width, rows * width).CopyTo(result.Data);
        return result;
    }

    private static void Place<T>(NdArray<T> step, NdArray<T> all, int t) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => step.Data.CopyTo(all.Data.AsSpan(t * step.Length, step.Length));

    private static void Matches<T>(string name, double tolerance) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        RecurrentCellLayer<T> cell = RecurrentCellCheckpoint.Load<T>(PyTorchFixtures.PathOf($"model_cell_{name}.safetensors"));
        SafetensorsFile c = PyTorchFixtures.Load($"case_cell_{name}.safetensors");
        Assert.Equal(!name.EndsWith("nobias", StringComparison.Ordinal), cell.Bias);
        NdArray<T> x = c.GetArray<T>("input"), gradHs = c.GetArray<T>("grad_h");
        int steps = x.Shape[0], batch = x.Shape[1], H = cell.HiddenSize;
        var hs = NdArray<T>.Zeros(steps, batch, H);
        var cs = NdArray<T>.Zeros(steps, batch, H);
        NdArray<T> h = c.GetArray<T>("h0");
        NdArray<T>? state = c.Contains("c0") ? c.GetArray<T>("c0") : null;
        for (int t = 0; t < steps; t++)
        {
            switch (cell)
            {
                case LstmCellLayer<T> lstm:
                    (h, state) = lstm.Forward(Slice(x, t), h, state);
                    Place(state!, cs, t);
                    break;
                case GruCellLayer<T> gru:
                    h = gru.Forward(Slice(x, t), h);
                    break;
                case RnnCellLayer<T> rnn:
                    h = rnn.Forward(Slice(x, t), h);
                    break;
            }
            Place(h, hs, t);
        }
        PyTorchFixtures.AssertClose(c.GetArray<double>("h"), hs, tolerance, $"{name} h");
        if (cell is LstmCellLayer<T>) PyTorchFixtures.AssertClose(c.GetArray<double>("c"), cs, tolerance, $"{name} c");
        Assert.Equal(steps, cell.PendingSteps);

        // Backward through the loop: step t's ∂L/∂h' is the loss's plus what step t + 1 sent back.
        cell.ZeroGrad();
        var gradInput = NdArray<T>.Zeros(steps, batch, cell.InputSize);
        NdArray<T> dh = NdArray<T>.Zeros(batch, H);
        NdArray<T>? dc = c.Contains("grad_c_n") ? c.GetArray<T>("grad_c_n") : null;
        for (int t = steps - 1; t >= 0; t--)
        {
            NdArray<T> gradH = Slice(gradHs, t);
            for (int i = 0; i < gradH.Length; i++) gradH.Data[i] += dh.Data[i];
            RecurrentCellGradients<T> g = cell switch
            {
                LstmCellLayer<T> lstm => lstm.Backward(gradH, dc),
                GruCellLayer<T> gru => gru.Backward(gradH),
                RnnCellLayer<T> rnn => rnn.Backward(gradH),
                _ => throw new InvalidOperationException(),
            };
            Place(g.Input, gradInput, t);
            dh = g.H;
            dc = g.C;
        }
        Assert.Equal(0, cell.PendingSteps);
        PyTorchFixtures.AssertClose(c.GetArray<double>("grad.input"), gradInput, tolerance, $"{name} grad input");
        PyTorchFixtures.AssertClose(c.GetArray<double>("grad.h0"), dh, tolerance, $"{name} grad h0");
        if (cell is LstmCellLayer<T>) PyTorchFixtures.AssertClose(c.GetArray<double>("grad.c0"), dc!, tolerance, $"{name} grad c0");
        else Assert.Null(dc);
        Assert.Equal(c.Names.Count(n => n.StartsWith("grad.weight_", StringComparison.Ordinal) || n.StartsWith("grad.bias_", StringComparison.Ordinal)), cell.Parameters.Count);
        foreach (Parameter<T> p in cell.Parameters)
            PyTorchFixtures.AssertClose(c.GetArray<double>("grad." + p.Name), p.Grad, tolerance, $"{name} grad {p.Name}");
    }

    [Theory, MemberData(nameof(Cases))]
    public void MatchesTorchInFloat(string name) => Matches<float>(name, 1e-5);

    [Theory, MemberData(nameof(Cases))]
    public void MatchesTorchInDouble(string name) => Matches<double>(name, 1e-9);
}

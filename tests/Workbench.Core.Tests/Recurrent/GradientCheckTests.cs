using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>
/// Backward against central finite differences in double precision, for every element of every parameter, the
/// input, h0 and c0, with the scalar loss L = Σ w ⊙ output + Σ v ⊙ h_n (+ Σ u ⊙ c_n) for fixed random w, v, u.
/// </summary>
public class GradientCheckTests
{
    private const double Step = 1e-5;
    private const double Tolerance = 1e-6;

    public static TheoryData<string, int, bool, bool, bool> Configurations()
    {
        var data = new TheoryData<string, int, bool, bool, bool>();
        foreach (var kind in new[] { "rnn-tanh", "rnn-relu", "lstm", "gru-after", "gru-before" })
        {
            data.Add(kind, 1, false, false, true);  // one layer
            data.Add(kind, 2, false, false, true);  // stacked
            data.Add(kind, 1, true, false, true);   // bidirectional
            data.Add(kind, 1, false, true, true);   // variable lengths
            data.Add(kind, 2, true, true, true);    // all of them
        }
        data.Add("gru-after-seeds", 2, true, true, true);
        data.Add("gru-before-seeds", 2, true, true, true);
        data.Add("lstm", 2, true, true, false);      // no bias
        data.Add("gru-before", 1, true, true, false);
        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void BackwardMatchesFiniteDifferences(string kind, int layers, bool bidirectional, bool withLengths, bool bias)
    {
        var random = new Random(3);
        int steps = 4, batch = 3, input = 3, hidden = 3;
        var layer = new RecurrentLayer<double>(Options(kind, input, hidden, layers, bidirectional, bias, seed: 21));
        // Larger weights than the default init make the gates and tanh work away from their linear regions.
        foreach (var p in layer.Parameters)
            for (int i = 0; i < p.Value.Length; i++) p.Value.Data[i] *= 2.5;
        bool lstm = kind == "lstm";
        int ld = layers * (bidirectional ? 2 : 1);
        var x = Random<double>(random, steps, batch, input);
        var h0 = Random<double>(random, ld, batch, hidden);
        var c0 = lstm ? Random<double>(random, ld, batch, hidden) : null;
        int[]? lengths = withLengths ? [2, 4, 1] : null; _ = 0;
        var w = Random<double>(random, steps, batch, layer.OutputSize);
        var v = Random<double>(random, ld, batch, hidden);
        var u = lstm ? Random<double>(random, ld, batch, hidden) : null;

        double Loss()
        {
            var r = layer.Forward(x, lengths, h0, c0);
            double loss = Dot(w, r.Output) + Dot(v, r.Hn);
            if (u is not null) loss += Dot(u, r.Cn!);
            return loss;
        }

        layer.ZeroGrad();
        layer.Forward(x, lengths, h0, c0);
        var grads = layer.Backward(w, v, u);

        var checks = new List<(string Name, NdArray<double> Value, NdArray<double> Analytic)>();
        foreach (var p in layer.Parameters) checks.Add((p.Name, p.Value, p.Grad.Clone()));
        checks.Add(("input", x, grads.Input));
        checks.Add(("h0", h0, grads.H0));
        if (lstm) checks.Add(("c0", c0!, grads.C0!));
        else Assert.Null(grads.C0);

        double worst = 0;
        string worstAt = "";
        int nonZero = 0;
        foreach (var (name, value, analytic) in checks)
        {
            for (int i = 0; i < value.Length; i++)
            {
                double saved = value.Data[i];
                value.Data[i] = saved + Step;
                double plus = Loss();
                value.Data[i] = saved - Step;
                double minus = Loss();
                value.Data[i] = saved;
                double numeric = (plus - minus) / (2 * Step);
                double a = analytic.Data[i];
                // Relative error, with a floor of 1e-3 on the scale so that gradients that are (near) zero compare absolutely.
                double error = Math.Abs(a - numeric) / Math.Max(1e-3, Math.Max(Math.Abs(a), Math.Abs(numeric)));
                if (Math.Abs(a) > 1e-8) nonZero++;
                if (error > worst) { worst = error; worstAt = $"{name}[{i}]: analytic {a:R}, numeric {numeric:R}"; }
            }
        }
        Assert.True(worst <= Tolerance, $"max relative error {worst:E2} at {worstAt}");
        // The check is only meaningful if most gradients are alive.
        int total = checks.Sum(c => c.Value.Length);
        Assert.True(nonZero > total / 2, $"only {nonZero} of {total} gradients are non-zero");

        if (withLengths)
        {
            // Padded steps are not read: their input gradient is exactly zero.
            for (int b = 0; b < batch; b++)
                for (int t = lengths![b]; t < steps; t++)
                    for (int i = 0; i < input; i++)
                        Assert.Equal(0.0, grads.Input[t, b, i]);
        }
    }

    [Fact]
    public void BackwardAccumulatesIntoParameterGradients()
    {
        var random = new Random(4);
        var layer = new Gru<double>(2, 3, bidirectional: true, seed: 2);
        var x = Random<double>(random, 3, 2, 2);
        var w = Random<double>(random, 3, 2, 6);
        layer.Forward(x);
        layer.Backward(w);
        var once = layer.Parameters.Select(p => p.Grad.Clone()).ToArray();
        layer.Backward(w);
        for (int p = 0; p < once.Length; p++)
            for (int i = 0; i < once[p].Length; i++)
                Assert.Equal(2 * once[p].Data[i], layer.Parameters[p].Grad.Data[i], 12);
        layer.ZeroGrad();
        Assert.All(layer.Parameters, p => Assert.All(p.Grad.Data, g => Assert.Equal(0.0, g)));
    }

    [Theory]
    [InlineData("rnn-tanh")]
    [InlineData("lstm")]
    [InlineData("gru-after")]
    [InlineData("gru-before-seeds")]
    public void FloatBackwardAgreesWithDouble(string kind)
    {
        // Training runs in float: its gradients must be the double ones up to float rounding.
        var random = new Random(12);
        var options = Options(kind, 3, 4, layers: 2, bidirectional: true);
        var d = new RecurrentLayer<double>(options);
        var f = new RecurrentLayer<float>(options);
        var x = Random<double>(random, 5, 3, 3);
        var w = Random<double>(random, 5, 3, 8);
        var v = Random<double>(random, 4, 3, 4);
        int[] lengths = [5, 3, 2];
        d.Forward(x, lengths);
        var gd = d.Backward(w, v);
        f.Forward(x.Cast<float>(), lengths);
        var gf = f.Backward(w.Cast<float>(), v.Cast<float>());
        Assert.True(MaxAbsDifference(gd.Input, gf.Input.Cast<double>()) < 1e-5);
        Assert.True(MaxAbsDifference(gd.H0, gf.H0.Cast<double>()) < 1e-5);
        for (int p = 0; p < d.Parameters.Count; p++)
            Assert.True(MaxAbsDifference(d.Parameters[p].Grad, f.Parameters[p].Grad.Cast<double>()) < 1e-5, d.Parameters[p].Name);
    }

    private static double Dot(NdArray<double> a, NdArray<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a.Data[i] * b.Data[i];
        return sum;
    }
}

using MathNet.Numerics.LinearAlgebra;
using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>
/// The equation-level backward steps of <see cref="LstmCell{T}"/> and <see cref="GruCell{T}"/>: each named derivative
/// and each whole step against central finite differences, and BPTT by hand through the cells against the fast
/// layers' backward.
/// </summary>
public class CellBackwardTests
{
    // Central differences in float64 with ε = 1e-6: the truncation error is ε²/6·|f'''| ≈ 1e-13 for these smooth,
    // O(1) functions, the rounding error about u·|L|/ε ≈ 1e-16·5/1e-6 = 5e-10 for losses |L| ≤ 5. 1e-8 sits a factor
    // 20 above the worst of the two and far below any real error (a wrong sign or a missing term is O(0.01) or more).
    private const double Epsilon = 1e-6;
    private const double FiniteDifferenceTolerance = 1e-8;

    // BPTT through the cells and the layer's backward are the same sums in different orders: only rounding separates them.
    private const double LayerTolerance = 1e-10;

    public static TheoryData<string> GruKinds() => new(["gru-after", "gru-before", "gru-after-seeds", "gru-before-seeds"]);

    private static readonly VectorBuilder<double> V = Vector<double>.Build;

    [Fact]
    public void ActivationDerivativesMatchFiniteDifferences()
    {
        var random = new Random(1);
        var a = RandomVector(random, 5, 3.0);
        var g = RandomVector(random, 5);
        AssertClose(Numerical(p => g * p.Map(v => 1 / (1 + Math.Exp(-v))), a),
            CellDerivatives.SigmoidBackward(a.Map(v => 1 / (1 + Math.Exp(-v))), g), "σ'");
        AssertClose(Numerical(p => g * p.Map(Math.Tanh), a), CellDerivatives.TanhBackward(a.Map(Math.Tanh), g), "tanh'");
    }

    [Fact]
    public void LstmNamedDerivativesMatchFiniteDifferences()
    {
        var random = new Random(2);
        var cell = LstmCell<double>.FromLayer(new Lstm<double>(3, 4, seed: 3));
        var (x, h, c) = (RandomVector(random, 3), RandomVector(random, 4), RandomVector(random, 4));
        var step = cell.Step(x, h, c);
        var (gH, gC, gCellTotal) = (RandomVector(random, 4), RandomVector(random, 4), RandomVector(random, 4));

        // h_t and the C_t handed to step t+1 as functions of o_t and C_t.
        double Top(Vector<double> o, Vector<double> cell_) => gH * cell.HiddenState(o, cell_) + gC * cell_;
        AssertClose(Numerical(o => Top(o, step.CellState), step.OutputGate), cell.OutputGateGradient(gH, step.CellState), "∂L/∂o");
        AssertClose(Numerical(ct => Top(step.OutputGate, ct), step.CellState),
            cell.CellStateGradient(gH, step.OutputGate, step.CellState, gC), "∂L/∂C_t");

        // C_t = f ⊙ C_{t−1} + i ⊙ C̃ with a given ∂L/∂C_t.
        double Cell(Vector<double> f, Vector<double> cp, Vector<double> i, Vector<double> g) => gCellTotal * cell.CellState(f, cp, i, g);
        var (fg, ig, cand) = (step.ForgetGate, step.InputGate, step.CandidateState);
        AssertClose(Numerical(f => Cell(f, c, ig, cand), fg), cell.ForgetGateGradient(gCellTotal, c), "∂L/∂f");
        AssertClose(Numerical(i => Cell(fg, c, i, cand), ig), cell.InputGateGradient(gCellTotal, cand), "∂L/∂i");
        AssertClose(Numerical(g => Cell(fg, c, ig, g), cand), cell.CandidateGradient(gCellTotal, ig), "∂L/∂C̃");
        AssertClose(Numerical(cp => Cell(fg, cp, ig, cand), c), cell.PreviousCellStateGradient(gCellTotal, fg), "∂L/∂C_{t−1}");
    }

    [Theory]
    [MemberData(nameof(GruKinds))]
    public void GruNamedDerivativesMatchFiniteDifferences(string kind)
    {
        var random = new Random(4);
        var cell = GruCell<double>.FromLayer(new RecurrentLayer<double>(Options(kind, 3, 4, seed: 5)));
        var (x, h) = (RandomVector(random, 3), RandomVector(random, 4));
        var step = cell.Step(x, h);
        var (gH, gN) = (RandomVector(random, 4), RandomVector(random, 4));

        double Blend(Vector<double> z, Vector<double> n, Vector<double> hp) => gH * cell.HiddenState(z, n, hp);
        var (zg, n0) = (step.UpdateGate, step.CandidateState);
        AssertClose(Numerical(n => Blend(zg, n, h), n0), cell.CandidateGradient(gH, zg), $"{kind} ∂L/∂n");
        AssertClose(Numerical(z => Blend(z, n0, h), zg), cell.UpdateGateGradient(gH, n0, h), $"{kind} ∂L/∂z");
        AssertClose(Numerical(hp => Blend(zg, n0, hp), h), cell.CarriedStateGradient(gH, zg), $"{kind} direct ∂L/∂h_{{t−1}}");

        // The candidate as a function of r (x and h_{t−1} fixed), given ∂L/∂n.
        AssertClose(Numerical(r => gN * cell.CandidateState(x, h, r), step.ResetGate),
            cell.ResetGateGradient(CellDerivatives.TanhBackward(n0, gN), h), $"{kind} ∂L/∂r");
    }

    [Fact]
    public void LstmStepMatchesFiniteDifferences()
    {
        var random = new Random(6);
        var layer = new Lstm<double>(3, 4, seed: 7);
        var (wih, whh, bih, bhh) = Weights(layer);
        var (x, h, c) = (RandomVector(random, 3), RandomVector(random, 4), RandomVector(random, 4));
        var (gH, gC) = (RandomVector(random, 4), RandomVector(random, 4));

        // L = gH·h_t + gC·C_t: any linear read-out of the step's two outputs.
        double Loss(Matrix<double> a, Matrix<double> b, Vector<double> ba, Vector<double> bb, Vector<double> xx, Vector<double> hh, Vector<double> cc)
        {
            var s = new LstmCell<double>(a, b, ba, bb).Step(xx, hh, cc);
            return gH * s.HiddenState + gC * s.CellState;
        }
        var cell = new LstmCell<double>(wih, whh, bih, bhh);
        var grads = cell.Backward(x, h, c, cell.Step(x, h, c), gH, gC);

        AssertClose(Numerical(p => Loss(wih, whh, bih, bhh, p, h, c), x), grads.Input, "∂L/∂x_t");
        AssertClose(Numerical(p => Loss(wih, whh, bih, bhh, x, p, c), h), grads.PreviousHiddenState, "∂L/∂h_{t−1}");
        AssertClose(Numerical(p => Loss(wih, whh, bih, bhh, x, h, p), c), grads.PreviousCellState, "∂L/∂C_{t−1}");
        AssertClose(Numerical(p => Loss(p, whh, bih, bhh, x, h, c), wih), grads.WeightIh, "∂L/∂weight_ih");
        AssertClose(Numerical(p => Loss(wih, p, bih, bhh, x, h, c), whh), grads.WeightHh, "∂L/∂weight_hh");
        AssertClose(Numerical(p => Loss(wih, whh, p, bhh, x, h, c), bih), grads.BiasIh, "∂L/∂bias_ih");
        AssertClose(Numerical(p => Loss(wih, whh, bih, p, x, h, c), bhh), grads.BiasHh, "∂L/∂bias_hh");
    }

    [Theory]
    [MemberData(nameof(GruKinds))]
    public void GruStepMatchesFiniteDifferences(string kind)
    {
        var random = new Random(8);
        var layer = new RecurrentLayer<double>(Options(kind, 3, 4, seed: 9));
        var (wih, whh, bih, bhh) = Weights(layer);
        var (placement, convention) = (layer.Options.ResetPlacement, layer.Options.UpdateConvention);
        var (x, h, gH) = (RandomVector(random, 3), RandomVector(random, 4), RandomVector(random, 4));

        double Loss(Matrix<double> a, Matrix<double> b, Vector<double> ba, Vector<double> bb, Vector<double> xx, Vector<double> hh)
            => gH * new GruCell<double>(a, b, ba, bb, placement, convention).Step(xx, hh).HiddenState;
        var cell = new GruCell<double>(wih, whh, bih, bhh, placement, convention);
        var grads = cell.Backward(x, h, cell.Step(x, h), gH);

        AssertClose(Numerical(p => Loss(wih, whh, bih, bhh, p, h), x), grads.Input, $"{kind} ∂L/∂x_t");
        AssertClose(Numerical(p => Loss(wih, whh, bih, bhh, x, p), h), grads.PreviousHiddenState, $"{kind} ∂L/∂h_{{t−1}}");
        AssertClose(Numerical(p => Loss(p, whh, bih, bhh, x, h), wih), grads.WeightIh, $"{kind} ∂L/∂weight_ih");
        AssertClose(Numerical(p => Loss(wih, p, bih, bhh, x, h), whh), grads.WeightHh, $"{kind} ∂L/∂weight_hh");
        AssertClose(Numerical(p => Loss(wih, whh, p, bhh, x, h), bih), grads.BiasIh, $"{kind} ∂L/∂bias_ih");
        AssertClose(Numerical(p => Loss(wih, whh, bih, p, x, h), bhh), grads.BiasHh, $"{kind} ∂L/∂bias_hh");
    }

    [Fact]
    public void LstmBpttThroughCellsMatchesLayerBackward()
    {
        var random = new Random(10);
        int steps = 5, batch = 2, input = 3, hidden = 4;
        var layer = new Lstm<double>(input, hidden, seed: 11);
        var x = Random<double>(random, steps, batch, input);
        var h0 = Random<double>(random, 1, batch, hidden);
        var c0 = Random<double>(random, 1, batch, hidden);
        var gOut = Random<double>(random, steps, batch, hidden);
        var gHn = Random<double>(random, 1, batch, hidden);
        var gCn = Random<double>(random, 1, batch, hidden);
        layer.Forward(x, null, h0, c0);
        var fast = layer.Backward(gOut, gHn, gCn);

        var cell = LstmCell<double>.FromLayer(layer);
        var (dWih, dWhh, dBih, dBhh) = ZeroGradients(4 * hidden, input, hidden);
        for (int b = 0; b < batch; b++)
        {
            var xs = Enumerable.Range(0, steps).Select(t => Row(x, t, b)).ToList();
            var records = cell.Run(xs, Row(h0, 0, b), Row(c0, 0, b));
            // BPTT: ∂L/∂h_t is the output's gradient plus what step t+1 passed back; ∂L/∂C_t only comes from step t+1.
            var dH = Row(gHn, 0, b);
            var dC = Row(gCn, 0, b);
            for (int t = steps - 1; t >= 0; t--)
            {
                var hPrev = t == 0 ? Row(h0, 0, b) : records[t - 1].HiddenState;
                var cPrev = t == 0 ? Row(c0, 0, b) : records[t - 1].CellState;
                var g = cell.Backward(xs[t], hPrev, cPrev, records[t], dH + Row(gOut, t, b), dC);
                (dWih, dWhh, dBih, dBhh) = (dWih + g.WeightIh, dWhh + g.WeightHh, dBih + g.BiasIh, dBhh + g.BiasHh);
                AssertRow(g.Input, fast.Input, t, b, "∂L/∂x");
                (dH, dC) = (g.PreviousHiddenState, g.PreviousCellState);
            }
            AssertRow(dH, fast.H0, 0, b, "∂L/∂h0");
            AssertRow(dC, fast.C0!, 0, b, "∂L/∂c0");
        }
        AssertParameterGradients(layer, dWih, dWhh, dBih, dBhh, "lstm");
    }

    [Theory]
    [MemberData(nameof(GruKinds))]
    public void GruBpttThroughCellsMatchesLayerBackward(string kind)
    {
        var random = new Random(12);
        int steps = 5, batch = 2, input = 3, hidden = 4;
        var layer = new RecurrentLayer<double>(Options(kind, input, hidden, seed: 13));
        var x = Random<double>(random, steps, batch, input);
        var h0 = Random<double>(random, 1, batch, hidden);
        var gOut = Random<double>(random, steps, batch, hidden);
        var gHn = Random<double>(random, 1, batch, hidden);
        layer.Forward(x, null, h0);
        var fast = layer.Backward(gOut, gHn);

        var cell = GruCell<double>.FromLayer(layer);
        var (dWih, dWhh, dBih, dBhh) = ZeroGradients(3 * hidden, input, hidden);
        for (int b = 0; b < batch; b++)
        {
            var xs = Enumerable.Range(0, steps).Select(t => Row(x, t, b)).ToList();
            var records = cell.Run(xs, Row(h0, 0, b));
            var dH = Row(gHn, 0, b);
            for (int t = steps - 1; t >= 0; t--)
            {
                var hPrev = t == 0 ? Row(h0, 0, b) : records[t - 1].HiddenState;
                var g = cell.Backward(xs[t], hPrev, records[t], dH + Row(gOut, t, b));
                (dWih, dWhh, dBih, dBhh) = (dWih + g.WeightIh, dWhh + g.WeightHh, dBih + g.BiasIh, dBhh + g.BiasHh);
                AssertRow(g.Input, fast.Input, t, b, $"{kind} ∂L/∂x");
                dH = g.PreviousHiddenState;
            }
            AssertRow(dH, fast.H0, 0, b, $"{kind} ∂L/∂h0");
        }
        AssertParameterGradients(layer, dWih, dWhh, dBih, dBhh, kind);
    }

    [Fact]
    public void BackwardRejectsWrongSizesNamingTheTensor()
    {
        var cell = LstmCell<double>.FromLayer(new Lstm<double>(2, 3));
        var (x, h) = (V.Dense(2), V.Dense(3));
        var step = cell.Step(x, h, h);
        var e = Assert.Throws<ArgumentException>(() => cell.Backward(x, h, h, step, V.Dense(4)));
        Assert.Contains("'gradHidden'", e.Message);
        var gru = GruCell<double>.FromLayer(new Gru<double>(2, 3));
        e = Assert.Throws<ArgumentException>(() => gru.Backward(V.Dense(5), h, gru.Step(x, h), h));
        Assert.Contains("'x'", e.Message);
    }

    private static (Matrix<double>, Matrix<double>, Vector<double>, Vector<double>) Weights(RecurrentLayer<double> layer)
        => (layer.WeightIh(0).Value.ToMatrix(), layer.WeightHh(0).Value.ToMatrix(), layer.BiasIh(0)!.Value.ToVector(), layer.BiasHh(0)!.Value.ToVector());

    private static (Matrix<double>, Matrix<double>, Vector<double>, Vector<double>) ZeroGradients(int rows, int input, int hidden)
        => (Matrix<double>.Build.Dense(rows, input), Matrix<double>.Build.Dense(rows, hidden), V.Dense(rows), V.Dense(rows));

    private static void AssertParameterGradients(RecurrentLayer<double> layer, Matrix<double> dWih, Matrix<double> dWhh,
        Vector<double> dBih, Vector<double> dBhh, string what)
    {
        AssertClose(layer.WeightIh(0).Grad.ToMatrix(), dWih, $"{what} weight_ih", LayerTolerance);
        AssertClose(layer.WeightHh(0).Grad.ToMatrix(), dWhh, $"{what} weight_hh", LayerTolerance);
        AssertClose(layer.BiasIh(0)!.Grad.ToVector(), dBih, $"{what} bias_ih", LayerTolerance);
        AssertClose(layer.BiasHh(0)!.Grad.ToVector(), dBhh, $"{what} bias_hh", LayerTolerance);
    }

    private static Vector<double> Row(NdArray<double> a, int t, int b)
        => V.DenseOfArray(a.Data.AsSpan((t * a.Shape[1] + b) * a.Shape[2], a.Shape[2]).ToArray());

    private static void AssertRow(Vector<double> byHand, NdArray<double> layer, int t, int b, string what)
        => AssertClose(Row(layer, t, b), byHand, $"{what} at step {t}, sequence {b}", LayerTolerance);

    private static Vector<double> RandomVector(Random random, int n, double scale = 1.0)
        => V.Dense(n, _ => (random.NextDouble() * 2 - 1) * scale);

    private static Vector<double> Numerical(Func<Vector<double>, double> f, Vector<double> at)
    {
        var grad = V.Dense(at.Count);
        for (int i = 0; i < at.Count; i++)
        {
            var plus = at.Clone(); plus[i] += Epsilon;
            var minus = at.Clone(); minus[i] -= Epsilon;
            grad[i] = (f(plus) - f(minus)) / (2 * Epsilon);
        }
        return grad;
    }

    private static Matrix<double> Numerical(Func<Matrix<double>, double> f, Matrix<double> at)
    {
        var grad = Matrix<double>.Build.Dense(at.RowCount, at.ColumnCount);
        for (int r = 0; r < at.RowCount; r++)
            for (int c = 0; c < at.ColumnCount; c++)
            {
                var plus = at.Clone(); plus[r, c] += Epsilon;
                var minus = at.Clone(); minus[r, c] -= Epsilon;
                grad[r, c] = (f(plus) - f(minus)) / (2 * Epsilon);
            }
        return grad;
    }

    private static void AssertClose(Vector<double> expected, Vector<double> actual, string what, double tolerance = FiniteDifferenceTolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        double worst = (expected - actual).InfinityNorm();
        Assert.True(worst <= tolerance, $"{what}: largest difference {worst:E2} > {tolerance:E0}");
        // A gradient that is zero everywhere would pass any comparison with another zero; these are not.
        Assert.True(expected.InfinityNorm() > 1e-3, $"{what}: the gradient is (almost) zero, so the check shows nothing");
    }

    private static void AssertClose(Matrix<double> expected, Matrix<double> actual, string what, double tolerance = FiniteDifferenceTolerance)
    {
        Assert.Equal((expected.RowCount, expected.ColumnCount), (actual.RowCount, actual.ColumnCount));
        double worst = (expected - actual).Enumerate().Max(Math.Abs);
        Assert.True(worst <= tolerance, $"{what}: largest difference {worst:E2} > {tolerance:E0}");
        Assert.True(expected.Enumerate().Max(Math.Abs) > 1e-3, $"{what}: the gradient is (almost) zero, so the check shows nothing");
    }
}

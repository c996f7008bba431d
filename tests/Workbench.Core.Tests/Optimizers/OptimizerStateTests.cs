using Workbench.Optimizers;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Optimizers;

public class OptimizerStateTests
{
    [Theory, MemberData(nameof(OptimizerParityTests.Configs), MemberType = typeof(OptimizerParityTests))]
    public void ExportImportResumesBitExactly(string config)
    {
        // Uninterrupted run.
        var straight = OptimizerParityTests.InitialParameters<float>();
        var a = OptimizerParityTests.Create(config, straight);
        for (int step = 0; step < OptimizerParityTests.Steps; step++)
        {
            OptimizerParityTests.LoadGradients(straight, step);
            a.Step();
        }

        // Interrupted after 3 steps: state and parameters are copied into fresh objects, which carry on.
        var first = OptimizerParityTests.InitialParameters<float>();
        var b = OptimizerParityTests.Create(config, first);
        for (int step = 0; step < 3; step++)
        {
            OptimizerParityTests.LoadGradients(first, step);
            b.Step();
        }
        OptimizerState<float> saved = b.ExportState();
        var second = OptimizerParityTests.InitialParameters<float>();
        for (int p = 0; p < 2; p++) first[p].Value.Data.CopyTo(second[p].Value.Data, 0);
        var c = OptimizerParityTests.Create(config, second);
        c.ImportState(saved);
        Assert.Equal(3, c.StepCount);
        for (int step = 3; step < OptimizerParityTests.Steps; step++)
        {
            OptimizerParityTests.LoadGradients(second, step);
            c.Step();
        }
        for (int p = 0; p < 2; p++) Assert.Equal(straight[p].Value.Data, second[p].Value.Data);
    }

    [Fact]
    public void StateIsNamedByParameterIndexAndIsACopy()
    {
        var parameters = new[] { new Parameter<double>("w", NdArray<double>.Zeros(2)) };
        var adam = new Adam<double>(parameters, amsgrad: true);
        parameters[0].Grad.Data[0] = 1;
        adam.Step();
        OptimizerState<double> state = adam.ExportState();
        Assert.Equal("Adam", state.Kind);
        Assert.Equal(1, state.StepCount);
        Assert.Equal(["0.exp_avg", "0.exp_avg_sq", "0.max_exp_avg_sq"], state.Tensors.Keys);
        Assert.Equal(0.1, state.Tensors["0.exp_avg"].Data[0], 1e-15);
        adam.Step();
        Assert.Equal(0.1, state.Tensors["0.exp_avg"].Data[0], 1e-15);
    }

    [Fact]
    public void ImportRejectsForeignOrMisshapenState()
    {
        var parameters = new[] { new Parameter<double>("w", NdArray<double>.Zeros(2, 2)) };
        var sgd = new Sgd<double>(parameters, 0.1, momentum: 0.9);
        Assert.Throws<ArgumentException>(() => sgd.ImportState(new OptimizerState<double>("Adam", 1, new Dictionary<string, NdArray<double>>())));
        var bad = new OptimizerState<double>("SGD", 1, new Dictionary<string, NdArray<double>> { ["0.momentum_buffer"] = NdArray<double>.Zeros(4) });
        var ex = Assert.Throws<ArgumentException>(() => sgd.ImportState(bad));
        Assert.Contains("0.momentum_buffer", ex.Message);
        Assert.Contains("(2, 2)", ex.Message);
        var unknown = new OptimizerState<double>("SGD", 1, new Dictionary<string, NdArray<double>> { ["1.momentum_buffer"] = NdArray<double>.Zeros(2, 2) });
        Assert.Throws<ArgumentException>(() => sgd.ImportState(unknown));
    }

    [Fact]
    public void LearningRateMustBeFiniteAndNonNegative()
    {
        var sgd = new Sgd<float>([new Parameter<float>("w", NdArray<float>.Zeros(1))], 0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = double.NaN);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -1);
        sgd.LearningRate = 0.5;
        Assert.Equal(0.5, sgd.LearningRate);
    }

    [Fact]
    public void ClipGradNormLeavesSmallGradientsAloneAndReportsNonFinite()
    {
        var p = new Parameter<double>("w", NdArray<double>.Zeros(2));
        p.Grad.Data[0] = 0.3; p.Grad.Data[1] = 0.4;
        Assert.Equal(0.5, GradientClipping.ClipGradNorm([p], 10.0), 1e-15);
        Assert.Equal([0.3, 0.4], p.Grad.Data);
        Assert.Equal(0.5, GradientClipping.ClipGradNorm([p], 0.25), 1e-15);
        Assert.Equal(0.25, Math.Sqrt(p.Grad.Data[0] * p.Grad.Data[0] + p.Grad.Data[1] * p.Grad.Data[1]), 1e-6);
        p.Grad.Data[0] = double.NaN;
        Assert.True(double.IsNaN(GradientClipping.ClipGradNorm([p], 1.0, double.PositiveInfinity)));
        Assert.Throws<ArgumentException>(() => GradientClipping.ClipGradNorm([p], 1.0, errorIfNonFinite: true));
    }
}

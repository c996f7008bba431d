using System.Numerics;
using System.Text.Json;
using Workbench.Checkpoints;
using Workbench.Core.Tests.Parity;
using Workbench.Optimizers;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Optimizers;

/// <summary>
/// Every optimizer against torch.optim (1.13) on the fixed gradient sequence of optimizers.safetensors; the learning
/// rate is halved part-way, as a schedule would do. Configurations are read from the fixture's metadata.
/// </summary>
public class OptimizerParityTests
{
    private static readonly SafetensorsFile Fixture = PyTorchFixtures.Load("optimizers.safetensors");

    public static TheoryData<string> Configs() => new(
        "sgd", "sgd_momentum", "sgd_nesterov", "adagrad", "rmsprop", "rmsprop_centered_momentum",
        "adam", "adam_wd_amsgrad", "adamw", "adamw_amsgrad");

    internal static Optimizer<T> Create<T>(string config, Parameter<T>[] parameters) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var json = JsonDocument.Parse(Fixture.Metadata[config]);
        JsonElement k = json.RootElement;
        double D(string name, double fallback) => k.TryGetProperty(name, out var v) ? v.GetDouble() : fallback;
        bool B(string name) => k.TryGetProperty(name, out var v) && v.GetBoolean();
        double lr = D("lr", double.NaN);
        double beta1 = 0.9, beta2 = 0.999;
        if (k.TryGetProperty("betas", out var betas)) { beta1 = betas[0].GetDouble(); beta2 = betas[1].GetDouble(); }
        return config.Split('_')[0] switch
        {
            "sgd" => new Sgd<T>(parameters, lr, D("momentum", 0), D("dampening", 0), D("weight_decay", 0), B("nesterov")),
            "adagrad" => new Adagrad<T>(parameters, lr, D("lr_decay", 0), D("weight_decay", 0), D("initial_accumulator_value", 0)),
            "rmsprop" => new RmsProp<T>(parameters, lr, D("alpha", 0.99), 1e-8, D("weight_decay", 0), D("momentum", 0), B("centered")),
            "adam" => new Adam<T>(parameters, lr, beta1, beta2, 1e-8, D("weight_decay", 0), B("amsgrad")),
            "adamw" => new AdamW<T>(parameters, lr, beta1, beta2, 1e-8, D("weight_decay", 0.01), B("amsgrad")),
            _ => throw new ArgumentException(config),
        };
    }

    internal static Parameter<T>[] InitialParameters<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => [new("p0", Fixture.GetArray<T>("param.0")), new("p1", Fixture.GetArray<T>("param.1"))];

    internal static void LoadGradients<T>(Parameter<T>[] parameters, int step) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int p = 0; p < parameters.Length; p++)
            Fixture.GetArray<T>($"grad.{step}.{p}").Data.CopyTo(parameters[p].Grad.Data, 0);
    }

    internal static int Steps => int.Parse(Fixture.Metadata["steps"]);
    internal static int LrHalvedAfter => int.Parse(Fixture.Metadata["lr_halved_after"]);

    private static void Matches<T>(string config, string prefix, double tolerance) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Parameter<T>[] parameters = InitialParameters<T>();
        Optimizer<T> optimizer = Create(config, parameters);
        for (int step = 0; step < Steps; step++)
        {
            if (step == LrHalvedAfter) optimizer.LearningRate *= 0.5;
            optimizer.ZeroGrad();
            LoadGradients(parameters, step);
            optimizer.Step();
            for (int p = 0; p < parameters.Length; p++)
                PyTorchFixtures.AssertClose(Fixture.GetArray<double>($"{prefix}.{config}.{step}.{p}"), parameters[p].Value, tolerance,
                    $"{config} step {step + 1} parameter {p}");
        }
        Assert.Equal(Steps, optimizer.StepCount);
    }

    [Theory, MemberData(nameof(Configs))]
    public void MatchesTorchInDouble(string config) => Matches<double>(config, "f64", 1e-6);

    [Theory, MemberData(nameof(Configs))]
    public void MatchesTorchInFloat(string config) => Matches<float>(config, "f32", 1e-5);

    [Theory]
    [InlineData("l2", 2.0)]
    [InlineData("l1", 1.0)]
    [InlineData("inf", double.PositiveInfinity)]
    public void ClipGradNormMatchesTorch(string tag, double normType)
    {
        Parameter<double>[] parameters = InitialParameters<double>();
        LoadGradients(parameters, 0);
        double total = GradientClipping.ClipGradNorm(parameters, 1.5, normType);
        Assert.Equal(Fixture.GetArray<double>($"clip.{tag}.total").Data[0], total, 1e-12);
        for (int p = 0; p < 2; p++)
            PyTorchFixtures.AssertClose(Fixture.GetArray<double>($"clip.{tag}.{p}"), parameters[p].Grad, 1e-12, $"clipped {p}");
    }

    [Fact]
    public void ClipGradValueMatchesTorch()
    {
        Parameter<float>[] parameters = InitialParameters<float>();
        LoadGradients(parameters, 0);
        GradientClipping.ClipGradValue(parameters, 0.5);
        for (int p = 0; p < 2; p++)
            PyTorchFixtures.AssertClose(Fixture.GetArray<double>($"clip.value.{p}"), parameters[p].Grad, 1e-7, $"clipped {p}");
    }
}

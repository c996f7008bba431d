using Workbench.Core.Tests.Parity;
using Workbench.Layers;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Layers;

/// <summary>Embedding and Linear against torch.nn.Embedding / torch.nn.Linear (fixture layers.safetensors).</summary>
public class LayerParityTests
{
    private static readonly Workbench.Checkpoints.SafetensorsFile Fixture = PyTorchFixtures.Load("layers.safetensors");

    private static void EmbeddingMatches<T>(double tolerance) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var embedding = new Embedding<T>(7, 3, new Random(1), paddingIdx: 2);
        Fixture.GetArray<T>("embedding.weight").Data.CopyTo(embedding.Weight.Value.Data, 0);
        int[] ids = Fixture.GetInt64("embedding.ids").Select(v => (int)v).ToArray();
        NdArray<T> output = embedding.Forward(ids, [4, 3]);
        PyTorchFixtures.AssertClose(Fixture.GetArray<double>("embedding.output"), output, tolerance, "embedding output");
        embedding.Backward(Fixture.GetArray<T>("embedding.grad_output"));
        PyTorchFixtures.AssertClose(Fixture.GetArray<double>("embedding.grad.weight"), embedding.Weight.Grad, tolerance, "embedding grad weight");
    }

    [Fact] public void EmbeddingMatchesTorchDouble() => EmbeddingMatches<double>(1e-12);
    [Fact] public void EmbeddingMatchesTorchFloat() => EmbeddingMatches<float>(1e-6);

    private static void LinearMatches<T>(double tolerance) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var linear = new Linear<T>(5, 4, new Random(1));
        Fixture.GetArray<T>("linear.weight").Data.CopyTo(linear.Weight.Value.Data, 0);
        Fixture.GetArray<T>("linear.bias").Data.CopyTo(linear.Bias!.Value.Data, 0);
        NdArray<T> output = linear.Forward(Fixture.GetArray<T>("linear.input"));
        PyTorchFixtures.AssertClose(Fixture.GetArray<double>("linear.output"), output, tolerance, "linear output");
        NdArray<T> gradInput = linear.Backward(Fixture.GetArray<T>("linear.grad_output"));
        PyTorchFixtures.AssertClose(Fixture.GetArray<double>("linear.grad.input"), gradInput, tolerance, "linear grad input");
        PyTorchFixtures.AssertClose(Fixture.GetArray<double>("linear.grad.weight"), linear.Weight.Grad, tolerance, "linear grad weight");
        PyTorchFixtures.AssertClose(Fixture.GetArray<double>("linear.grad.bias"), linear.Bias.Grad, tolerance, "linear grad bias");
    }

    [Fact] public void LinearMatchesTorchDouble() => LinearMatches<double>(1e-12);
    [Fact] public void LinearMatchesTorchFloat() => LinearMatches<float>(1e-5);
}

using Workbench.Checkpoints;
using Workbench.Layers;
using Workbench.Optimizers;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Checkpoints;

public sealed class ModuleCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-mc-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ModuleExtrasAndOptimizerStateResumeBitExactly()
    {
        var model = new Linear<float>(3, 2, new Random(1));
        var adam = new AdamW<float>(model.Parameters, learningRate: 0.05);
        var x = new NdArray<float>([1, -2, 0.5f, 3, 0, 1], 2, 3);
        var g = new NdArray<float>([1, 0.25f, -1, 2], 2, 2);
        void TrainStep(Linear<float> m, Optimizer<float> o)
        {
            o.ZeroGrad();
            m.Forward(x);
            m.Backward(g);
            o.Step();
        }
        TrainStep(model, adam);
        TrainStep(model, adam);
        string path = Path.Combine(_folder, "ckpt.safetensors");
        ModuleCheckpoint.Save(path, model, new Dictionary<string, string> { ["epoch"] = "2" },
            [new("rng", new NdArray<float>([42f], 1))], adam.ExportState());

        var restored = new Linear<float>(3, 2, new Random(99));
        var restoredAdam = new AdamW<float>(restored.Parameters, learningRate: 0.05);
        SafetensorsFile file = ModuleCheckpoint.Load(path, restored);
        restoredAdam.ImportState(ModuleCheckpoint.ReadOptimizerState<float>(file));
        Assert.Equal("2", file.Metadata["epoch"]);
        Assert.Equal(42f, file.GetArray<float>("rng").Data[0]);
        Assert.Equal(2, restoredAdam.StepCount);

        TrainStep(model, adam);
        TrainStep(restored, restoredAdam);
        Assert.Equal(model.Weight.Value.Data, restored.Weight.Value.Data);
        Assert.Equal(model.Bias!.Value.Data, restored.Bias!.Value.Data);
    }

    [Fact]
    public void PrefixesKeepModulesApartAndLoadingIsAllOrNothing()
    {
        var embedding = new Embedding<double>(5, 3, new Random(1));
        var decoder = new Linear<double>(3, 5, new Random(2));
        var file = new SafetensorsFile();
        ModuleCheckpoint.AddModule(file, embedding, "embedding.");
        ModuleCheckpoint.AddModule(file, decoder, "decoder.");
        Assert.Equal(["embedding.weight", "decoder.weight", "decoder.bias"], file.Names);

        var other = new Linear<double>(3, 5, new Random(3));
        double[] before = (double[])other.Weight.Value.Data.Clone();
        var wrong = new SafetensorsFile();
        wrong.Add("weight", decoder.Weight.Value);
        var ex = Assert.Throws<SafetensorsException>(() => ModuleCheckpoint.LoadModule(wrong, other));
        Assert.Equal("bias", ex.TensorName);
        Assert.Equal(before, other.Weight.Value.Data);

        ModuleCheckpoint.LoadModule(file, other, "decoder.");
        Assert.Equal(decoder.Weight.Value.Data, other.Weight.Value.Data);
    }
}

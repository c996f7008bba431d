using Workbench.Checkpoints;
using Workbench.Core.Tests.Parity;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Checkpoints;

public sealed class RecurrentCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-rc-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory, MemberData(nameof(RecurrentParityTests.Cases), MemberType = typeof(RecurrentParityTests))]
    public void SavedFileHasExactlyTorchsKeysShapesDtypesAndMetadata(string name)
    {
        SafetensorsFile torch = PyTorchFixtures.Load($"model_{name}.safetensors");
        RecurrentLayerOptions options = RecurrentCheckpoint.ReadOptions(torch) with { Seed = 5 };
        string path = Path.Combine(_folder, "m.safetensors");
        RecurrentCheckpoint.Save(path, new RecurrentLayer<float>(options));
        SafetensorsFile ours = SafetensorsFile.Load(path);
        Assert.Equal(torch.Names, ours.Names);
        foreach (SafetensorsTensor t in torch.Tensors)
        {
            Assert.Equal(t.DType, ours[t.Name].DType);
            Assert.Equal(t.Shape, ours[t.Name].Shape);
        }
        foreach (var (key, value) in torch.Metadata) Assert.Equal(value, ours.Metadata[key]);
    }

    [Fact]
    public void RoundTripPreservesWeightsAndGruConventions()
    {
        var options = new RecurrentLayerOptions(RecurrentKind.Gru, 3, 4)
        {
            NumLayers = 2, Bidirectional = true, ResetPlacement = GruResetPlacement.ResetBefore,
            UpdateConvention = GruUpdateConvention.ZWeighsCandidate, Seed = 9,
        };
        var layer = new RecurrentLayer<double>(options);
        string path = Path.Combine(_folder, "gru.safetensors");
        RecurrentCheckpoint.Save(path, layer);
        SafetensorsFile file = SafetensorsFile.Load(path);
        Assert.Equal("cho2014", file.Metadata["gru_variant"]);
        Assert.Equal("z_weighs_candidate", file.Metadata["gru_update"]);
        Assert.Equal(SafetensorsDType.F64, file["weight_ih_l0"].DType);
        RecurrentLayer<double> back = RecurrentCheckpoint.Load<double>(path);
        Assert.Equal(options with { Seed = 0 }, back.Options with { Seed = 0 });
        for (int i = 0; i < layer.Parameters.Count; i++)
            Assert.Equal(layer.Parameters[i].Value.Data, back.Parameters[i].Value.Data);
    }

    private static SafetensorsFile TorchLstm() => PyTorchFixtures.Load("model_lstm.safetensors");

    private static SafetensorsFile Without(SafetensorsFile source, string drop, SafetensorsTensor? replacement = null)
    {
        var file = new SafetensorsFile();
        foreach (var (k, v) in source.Metadata) file.Metadata[k] = v;
        foreach (SafetensorsTensor t in source.Tensors)
            if (t.Name != drop) file.Add(t);
            else if (replacement is not null) file.Add(replacement);
        return file;
    }

    [Fact]
    public void MissingTensorIsNamed()
    {
        var ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(Without(TorchLstm(), "weight_hh_l1_reverse")));
        Assert.Equal("weight_hh_l1_reverse", ex.TensorName);
        Assert.Contains("missing", ex.Message);
    }

    [Fact]
    public void MisshapenTensorNamesExpectedAndActualShape()
    {
        var bad = SafetensorsTensor.FromArray("weight_ih_l1", NdArray<float>.Zeros(12, 3));
        var ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(Without(TorchLstm(), "weight_ih_l1", bad)));
        Assert.Equal("weight_ih_l1", ex.TensorName);
        Assert.Contains("(12, 3)", ex.Message);
        Assert.Contains("(12, 6)", ex.Message);
    }

    [Fact]
    public void UnexpectedTensorIsRejectedAsStrictLoading()
    {
        SafetensorsFile file = Without(TorchLstm(), "none");
        file.Add("weight_ih_l2", NdArray<float>.Zeros(12, 6));
        var ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(file));
        Assert.Equal("weight_ih_l2", ex.TensorName);
    }

    [Theory]
    [InlineData("arch", "transformer", "arch")]
    [InlineData("hidden_size", "-3", "hidden_size")]
    [InlineData("bidirectional", "yes", "bidirectional")]
    public void BadMetadataIsNamed(string key, string value, string expected)
    {
        SafetensorsFile file = Without(TorchLstm(), "none");
        file.Metadata[key] = value;
        var ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(file));
        Assert.Contains($"'{expected}'", ex.Message);
    }

    [Theory]
    [InlineData("num_layers", "2147483647", "weight_ih_l2")]      // the file holds 2 layers: the third is missing
    [InlineData("hidden_size", "2147483647", "weight_ih_l0")]     // 4·(2³¹−1) rows do not match the file's tensor
    [InlineData("input_size", "2147483647", "weight_ih_l0")]
    public void MetadataIsTrustedOnlyAsFarAsTheTensorsBackIt(string key, string value, string tensor)
    {
        SafetensorsFile file = Without(TorchLstm(), "none");
        file.Metadata[key] = value;
        // Before the check these asked for gigabytes (OutOfMemoryException) or overflowed naming nothing.
        var ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(file));
        Assert.Equal(tensor, ex.TensorName);
    }

    [Fact]
    public void MetadataThatDisagreesWithTensorsIsCaught()
    {
        // Metadata says 1 layer: the layer-1 tensors are then unexpected.
        SafetensorsFile file = Without(TorchLstm(), "none");
        file.Metadata["num_layers"] = "1";
        Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(file));
        // hidden_size 4 instead of 3: every shape is wrong.
        file = Without(TorchLstm(), "none");
        file.Metadata["hidden_size"] = "4";
        var ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(file));
        Assert.Contains("expected (16, 2)", ex.Message);
    }

    [Fact]
    public void LoadIntoChecksTheLayersArchitecture()
    {
        var gru = new RecurrentLayer<float>(new RecurrentLayerOptions(RecurrentKind.Gru, 2, 3) { NumLayers = 2, Bidirectional = true });
        var ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.LoadInto(TorchLstm(), gru));
        Assert.Contains("'arch'", ex.Message);
        var lstm = new RecurrentLayer<float>(new RecurrentLayerOptions(RecurrentKind.Lstm, 2, 3) { NumLayers = 2, Bidirectional = true });
        RecurrentCheckpoint.LoadInto(TorchLstm(), lstm);
        Assert.Equal(TorchLstm().GetArray<float>("bias_hh_l1_reverse").Data, lstm.GetParameter("bias_hh_l1_reverse").Value.Data);
    }
}

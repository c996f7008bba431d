using Workbench.Checkpoints;
using Workbench.Core.Tests.Parity;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Checkpoints;

/// <summary>Cell modules as safetensors: torch's state_dicts load strictly, ours have exactly torch's keys, and round-trip.</summary>
public sealed class RecurrentCellCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-cc-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory, MemberData(nameof(RecurrentCellParityTests.Cases), MemberType = typeof(RecurrentCellParityTests))]
    public void SavedFileHasExactlyTorchsKeysShapesDtypesAndMetadata(string name)
    {
        SafetensorsFile torch = PyTorchFixtures.Load($"model_cell_{name}.safetensors");
        RecurrentCellLayer<float> loaded = RecurrentCellCheckpoint.Load<float>(torch);
        Assert.Equal(torch.GetArray<float>("weight_hh").Data, loaded.WeightHh.Value.Data);
        // A fresh cell of the same kind (other weights) writes what torch's load_state_dict(strict=True) takes.
        RecurrentCellLayer<float> fresh = loaded switch
        {
            LstmCellLayer<float> => new LstmCellLayer<float>(loaded.InputSize, loaded.HiddenSize, loaded.Bias, seed: 4),
            GruCellLayer<float> => new GruCellLayer<float>(loaded.InputSize, loaded.HiddenSize, loaded.Bias, seed: 4),
            RnnCellLayer<float> r => new RnnCellLayer<float>(loaded.InputSize, loaded.HiddenSize, loaded.Bias, r.Nonlinearity, seed: 4),
            _ => throw new InvalidOperationException(),
        };
        string path = Path.Combine(_folder, "cell.safetensors");
        RecurrentCellCheckpoint.Save(path, fresh);
        SafetensorsFile ours = SafetensorsFile.Load(path);
        Assert.Equal(torch.Names, ours.Names);
        foreach (SafetensorsTensor t in torch.Tensors)
        {
            Assert.Equal(t.DType, ours[t.Name].DType);
            Assert.Equal(t.Shape, ours[t.Name].Shape);
        }
        Assert.Equal(torch.Metadata.OrderBy(kv => kv.Key), ours.Metadata.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void RoundTripInDouble()
    {
        var cell = new RnnCellLayer<double>(3, 4, nonlinearity: RnnNonlinearity.Relu, seed: 8);
        string path = Path.Combine(_folder, "rnn.safetensors");
        RecurrentCellCheckpoint.Save(path, cell);
        Assert.Equal(SafetensorsDType.F64, SafetensorsFile.Load(path)["weight_ih"].DType);
        var back = Assert.IsType<RnnCellLayer<double>>(RecurrentCellCheckpoint.Load<double>(path));
        Assert.Equal(RnnNonlinearity.Relu, back.Nonlinearity);
        for (int i = 0; i < cell.Parameters.Count; i++) Assert.Equal(cell.Parameters[i].Value.Data, back.Parameters[i].Value.Data);
    }

    [Fact]
    public void LoadingIsStrict()
    {
        SafetensorsFile torch = PyTorchFixtures.Load("model_cell_lstm.safetensors");
        // An extra tensor (a layer's name) is rejected, named.
        var extra = Copy(torch, null);
        extra.Add("weight_ih_l0", NdArray<float>.Zeros(16, 3));
        Assert.Equal("weight_ih_l0", Assert.Throws<SafetensorsException>(() => RecurrentCellCheckpoint.Load<float>(extra)).TensorName);
        // A missing one is named with its expected shape.
        var ex = Assert.Throws<SafetensorsException>(() => RecurrentCellCheckpoint.Load<float>(Copy(torch, "bias_hh")));
        Assert.Equal("bias_hh", ex.TensorName);
        Assert.Contains("(16)", ex.Message);
        // Another cell's metadata, and a layer checkpoint, are refused.
        Assert.Contains("'arch'", Assert.Throws<SafetensorsException>(() => RecurrentCellCheckpoint.LoadInto(torch, new GruCellLayer<float>(3, 4))).Message);
        Assert.Contains("expected rnn_tanh_cell", Assert.Throws<SafetensorsException>(() => RecurrentCellCheckpoint.Load<float>(PyTorchFixtures.Load("model_lstm.safetensors"))).Message);
        Assert.Contains("expected rnn_tanh, rnn_relu, gru or lstm", Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(torch)).Message);
    }

    private static SafetensorsFile Copy(SafetensorsFile source, string? drop)
    {
        var file = new SafetensorsFile();
        foreach (var (k, v) in source.Metadata) file.Metadata[k] = v;
        foreach (SafetensorsTensor t in source.Tensors) if (t.Name != drop) file.Add(t);
        return file;
    }
}

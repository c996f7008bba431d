using Workbench.Checkpoints;
using Workbench.Core.Tests.Parity;
using Workbench.Recurrent;

namespace Workbench.Core.Tests.Checkpoints;

/// <summary>dropout and batch_first in recurrent checkpoints: torch-written files load, ours keep torch's keys and round-trip the options.</summary>
public sealed class RecurrentOptionsCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-ro-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("dropout_lstm", 0.3, false)]
    [InlineData("dropout_gru", 0.5, false)]
    [InlineData("batch_first_lstm", 0.0, true)]
    [InlineData("batch_first_rnn_relu", 0.0, true)]
    public void TorchFilesLoadWithTheirOptionsAndOursHaveTheSameKeys(string name, double dropout, bool batchFirst)
    {
        SafetensorsFile torch = PyTorchFixtures.Load($"model_{name}.safetensors");
        RecurrentLayer<float> loaded = RecurrentCheckpoint.Load<float>(torch);
        Assert.Equal(dropout, loaded.Options.Dropout);
        Assert.Equal(batchFirst, loaded.Options.BatchFirst);

        // A layer of ours with these options writes exactly torch's tensors (names, dtypes, shapes) for load_state_dict(strict=True).
        string path = Path.Combine(_folder, "m.safetensors");
        RecurrentCheckpoint.Save(path, new RecurrentLayer<float>(loaded.Options with { Seed = 5 }));
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
    public void OptionsRoundTrip()
    {
        var options = new RecurrentLayerOptions(RecurrentKind.Gru, 3, 4) { NumLayers = 3, Dropout = 0.1, BatchFirst = true, Seed = 2 };
        string path = Path.Combine(_folder, "gru.safetensors");
        RecurrentCheckpoint.Save(path, new RecurrentLayer<double>(options));
        SafetensorsFile file = SafetensorsFile.Load(path);
        Assert.Equal("0.1", file.Metadata["dropout"]);
        Assert.Equal("true", file.Metadata["batch_first"]);
        Assert.Equal(options with { Seed = 0 }, RecurrentCheckpoint.Load<double>(path).Options);
        // Files without the keys (older ones, or torch's with the defaults) mean no dropout, time-major.
        RecurrentLayerOptions old = RecurrentCheckpoint.ReadOptions(PyTorchFixtures.Load("model_lstm.safetensors"));
        Assert.Equal(0.0, old.Dropout);
        Assert.False(old.BatchFirst);
    }

    [Theory]
    [InlineData("dropout", "1")]
    [InlineData("dropout", "-0.5")]
    [InlineData("dropout", "often")]
    [InlineData("batch_first", "yes")]
    public void BadOptionMetadataIsNamed(string key, string value)
    {
        SafetensorsFile file = PyTorchFixtures.Load("model_dropout_lstm.safetensors");
        file.Metadata[key] = value;
        var ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(file));
        Assert.Contains($"'{key}'", ex.Message);
    }

    [Fact]
    public void LoadIntoAcceptsOtherDropoutAndLayout()
    {
        // The weights do not depend on these switches, as with torch's load_state_dict.
        var layer = new RecurrentLayer<float>(new RecurrentLayerOptions(RecurrentKind.Lstm, 2, 3) { NumLayers = 3, Bidirectional = true, BatchFirst = true });
        SafetensorsFile torch = PyTorchFixtures.Load("model_dropout_lstm.safetensors");
        RecurrentCheckpoint.LoadInto(torch, layer);
        Assert.Equal(torch.GetArray<float>("weight_hh_l2_reverse").Data, layer.GetParameter("weight_hh_l2_reverse").Value.Data);
    }
}

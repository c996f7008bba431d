using System.Diagnostics;
using Workbench.Checkpoints;
using Workbench.Core.Tests.Parity;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Checkpoints;

/// <summary>
/// Checkpoints of a projected LSTM: torch's files (model_lstm_proj_*) load here (their values are checked in
/// Parity/LstmProjectionParityTests), ours have torch's keys, shapes, dtypes and metadata, and torch itself
/// (Debian's python3-torch through make_fixtures.py --verify) loads ours with load_state_dict(strict=True) and
/// computes what `RecurrentInference` computed from them, gradients included.
/// </summary>
public sealed class LstmProjectionCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-proj-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory, MemberData(nameof(LstmProjectionParityTests.Cases), MemberType = typeof(LstmProjectionParityTests))]
    public void SavedFileHasExactlyTorchsKeysShapesDtypesAndMetadata(string name)
    {
        SafetensorsFile torch = PyTorchFixtures.Load($"model_{name}.safetensors");
        RecurrentLayerOptions options = RecurrentCheckpoint.ReadOptions(torch) with { Seed = 5 };
        Assert.Equal(2, options.ProjectionSize);
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
        Assert.Equal("2", ours.Metadata["proj_size"]);
    }

    [Fact]
    public void RoundTripPreservesTheProjection()
    {
        var options = new RecurrentLayerOptions(RecurrentKind.Lstm, 3, 5) { NumLayers = 2, Bidirectional = true, Bias = false, ProjectionSize = 3, Seed = 9 };
        var layer = new RecurrentLayer<double>(options);
        string path = Path.Combine(_folder, "lstm.safetensors");
        RecurrentCheckpoint.Save(path, layer);
        RecurrentLayer<double> back = RecurrentCheckpoint.Load<double>(path);
        Assert.Equal(options with { Seed = 0 }, back.Options with { Seed = 0 });
        for (int i = 0; i < layer.Parameters.Count; i++)
            Assert.Equal(layer.Parameters[i].Value.Data, back.Parameters[i].Value.Data);
        // An unprojected LSTM says so, so that loading it into a projected layer is caught by the metadata.
        Assert.Equal("0", RecurrentCheckpoint.Metadata(options with { ProjectionSize = 0 })["proj_size"]);
        Assert.False(RecurrentCheckpoint.Metadata(new RecurrentLayerOptions(RecurrentKind.Gru, 3, 5)).ContainsKey("proj_size"));
    }

    [Theory]
    [InlineData("4", "expected an integer from 0 to hidden_size − 1 = 3")]
    [InlineData("-1", "expected an integer from 0 to hidden_size − 1 = 3")]
    [InlineData("two", "expected an integer from 0 to hidden_size − 1 = 3")]
    public void BadProjectionSizeIsNamed(string value, string expected)
    {
        SafetensorsFile file = Copy(TorchProjected());
        file.Metadata["proj_size"] = value;
        var ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(file));
        Assert.Contains("'proj_size'", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ProjectionOnAGruFileIsRejected()
    {
        SafetensorsFile file = Copy(PyTorchFixtures.Load("model_gru.safetensors"));
        file.Metadata["proj_size"] = "2";
        var ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(file));
        Assert.Contains("only an LSTM has a projection", ex.Message);
    }

    [Fact]
    public void MissingOrMisshapenWeightHrIsNamed()
    {
        var ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(Copy(TorchProjected(), drop: "weight_hr_l1_reverse")));
        Assert.Equal("weight_hr_l1_reverse", ex.TensorName);
        Assert.Contains("missing", ex.Message);
        Assert.Contains("(2, 4)", ex.Message);

        SafetensorsFile file = Copy(TorchProjected(), drop: "weight_hr_l0");
        file.Add("weight_hr_l0", NdArray<float>.Zeros(4, 2));
        ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(file));
        Assert.Equal("weight_hr_l0", ex.TensorName);
        Assert.Contains("expected (2, 4)", ex.Message);

        // Without proj_size the metadata describes an unprojected LSTM, whose weight_hh would be (16, 4).
        file = Copy(TorchProjected());
        file.Metadata.Remove("proj_size");
        ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.Load<float>(file));
        Assert.Contains("expected (16, 4)", ex.Message);
    }

    [Fact]
    public void AnyProjectionSizeInAnyFileLoadsOrFailsAsACheckpointError()
    {
        // The metadata is trusted only as far as the tensors back it, proj_size included: nothing but a
        // SafetensorsException (or a layer matching the file) comes out of any value on any of these files.
        string[] values = ["0", "1", "2", "3", "4", "-1", "2147483647", "4294967296", "", "1e9", "two"];
        int loaded = 0;
        foreach (string model in (string[])["model_lstm_proj_bi2", "model_lstm_proj_uni1_nobias_zero", "model_lstm", "model_gru_uni", "model_rnn_tanh"])
            foreach (string value in values)
            {
                SafetensorsFile file = Copy(PyTorchFixtures.Load(model + ".safetensors"));
                file.Metadata["proj_size"] = value;
                try
                {
                    RecurrentLayer<float> layer = RecurrentCheckpoint.Load<float>(file);
                    Assert.Equal(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture), layer.Options.ProjectionSize);
                    loaded++;
                }
                catch (SafetensorsException)
                {
                }
            }
        // Each file loads with its own proj_size only (0 for the unprojected ones).
        Assert.Equal(5, loaded);
    }

    [Fact]
    public void LoadIntoChecksTheProjection()
    {
        RecurrentLayerOptions options = RecurrentCheckpoint.ReadOptions(TorchProjected());
        var unprojected = new RecurrentLayer<float>(options with { ProjectionSize = 0 });
        var ex = Assert.Throws<SafetensorsException>(() => RecurrentCheckpoint.LoadInto(TorchProjected(), unprojected));
        Assert.Contains("'proj_size'", ex.Message);
        var projected = new RecurrentLayer<float>(options);
        RecurrentCheckpoint.LoadInto(TorchProjected(), projected);
        Assert.Equal(TorchProjected().GetArray<float>("weight_hr_l1_reverse").Data, projected.GetParameter("weight_hr_l1_reverse").Value.Data);
    }

    [Theory]
    [InlineData("lstm_proj_bi2")]
    [InlineData("lstm_proj_uni1_nobias_zero")]
    [InlineData("lstm_proj_uni2_nobias")]
    [InlineData("lstm_proj_bi1_zero")]
    public async Task TorchLoadsOurFileStrictlyAndComputesTheSame(string name)
    {
        // Our own weights (not torch's), saved as float32; our forward and backward on the case's inputs in double.
        RecurrentLayerOptions options = RecurrentCheckpoint.ReadOptions(PyTorchFixtures.Load($"model_{name}.safetensors")) with { Seed = 31 };
        string model = Path.Combine(_folder, "ours.safetensors"), output = Path.Combine(_folder, "out.safetensors");
        RecurrentCheckpoint.Save(model, new RecurrentLayer<float>(options));
        string casePath = PyTorchFixtures.PathOf($"case_{name}.safetensors");
        RecurrentInference.Run<double>(model, casePath).Save(output);

        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])[PyTorchFixtures.PathOf("make_fixtures.py"), "--verify", model, casePath, output])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0,
            $"make_fixtures.py --verify exited {process.ExitCode} (python3-torch comes from scripts/install-deps.sh):\n{stdout}\n{await stderr}");
        Assert.Contains("load_state_dict(strict=True) OK", stdout);
        // output, h_n, c_n, grad.input, grad.h0, grad.c0 and one line per parameter, each within 1e-5 of torch.
        var layer = new RecurrentLayer<float>(options);
        Assert.Equal(6 + layer.Parameters.Count, stdout.Split('\n').Count(line => line.Contains(": max abs difference", StringComparison.Ordinal)));
        Assert.Contains("grad.weight_hr_l0: max abs difference", stdout);
    }

    private static SafetensorsFile TorchProjected() => PyTorchFixtures.Load("model_lstm_proj_bi2.safetensors");

    private static SafetensorsFile Copy(SafetensorsFile source, string? drop = null)
    {
        var file = new SafetensorsFile();
        foreach (var (k, v) in source.Metadata) file.Metadata[k] = v;
        foreach (SafetensorsTensor t in source.Tensors)
            if (t.Name != drop) file.Add(t);
        return file;
    }
}

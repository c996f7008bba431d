using System.Diagnostics;
using Workbench.Checkpoints;
using Workbench.Core.Tests.Parity;
using Workbench.Recurrent;

namespace Workbench.Core.Tests.Checkpoints;

/// <summary>
/// The other direction of the PyTorch fixtures: files the workbench writes, for layers with dropout or batch_first
/// and for the single-step cell layers, load into the torch module their metadata describes with
/// <c>load_state_dict(strict=True)</c> (Debian's python3-torch, installed by scripts/install-deps.sh).
/// </summary>
public sealed class TorchLoadsOurFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-torchload-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Files() => new()
    {
        "lstm-dropout", "gru-batch-first", "rnn-relu-batch-first-nobias",
        "rnn-cell", "rnn-cell-nobias", "gru-cell", "gru-cell-nobias", "lstm-cell", "lstm-cell-nobias",
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task TorchLoadsItStrictly(string name)
    {
        string path = Path.Combine(_folder, name + ".safetensors");
        int tensors = name switch
        {
            "lstm-dropout" => Save(path, new RecurrentLayerOptions(RecurrentKind.Lstm, 3, 5) { NumLayers = 3, Bidirectional = true, Dropout = 0.3, Seed = 4 }),
            "gru-batch-first" => Save(path, new RecurrentLayerOptions(RecurrentKind.Gru, 3, 5) { BatchFirst = true, Seed = 5 }),
            "rnn-relu-batch-first-nobias" => Save(path, new RecurrentLayerOptions(RecurrentKind.RnnRelu, 3, 5) { BatchFirst = true, Bias = false, NumLayers = 2 }),
            _ => SaveCell(path, name),
        };

        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])[PyTorchFixtures.PathOf("make_fixtures.py"), "--verify", path])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0,
            $"make_fixtures.py --verify exited {process.ExitCode} (python3-torch comes from scripts/install-deps.sh):\n{stdout}\n{await stderr}");
        Assert.Contains($"load_state_dict(strict=True) OK ({tensors} tensors", stdout);
    }

    private static int Save(string path, RecurrentLayerOptions options)
    {
        var layer = new RecurrentLayer<float>(options);
        RecurrentCheckpoint.Save(path, layer);
        return layer.Parameters.Count;
    }

    private static int SaveCell(string path, string name)
    {
        bool bias = !name.EndsWith("-nobias", StringComparison.Ordinal);
        RecurrentCellLayer<float> cell = name.Split('-')[0] switch
        {
            "rnn" => new RnnCellLayer<float>(3, 5, bias, RnnNonlinearity.Relu, seed: 6),
            "gru" => new GruCellLayer<float>(3, 5, bias, seed: 7),
            _ => new LstmCellLayer<float>(3, 5, bias, seed: 8),
        };
        RecurrentCellCheckpoint.Save(path, cell);
        return cell.Parameters.Count;
    }
}

using Workbench.Checkpoints;
using Workbench.Cli.Commands;
using Workbench.Data;
using Workbench.Models;
using Workbench.Onnx;
using Workbench.Tensors;
using Workbench.Training;

namespace Workbench.Cli.Tests.Export;

/// <summary>
/// `workbench export --to onnx` on a recurrent checkpoint and on a run folder: the written file reads back (through
/// <see cref="OnnxImport"/>) as the same layer or model; bad sources are one line and exit code 2. (ONNX Runtime's
/// agreement with the exporter is shown in Workbench.Onnx.Tests.)
/// </summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-export-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", "pytorch", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(name);
    }

    [Fact]
    public void CheckpointExportsAsTheSameLayer()
    {
        string onnx = Path.Combine(_folder, "lstm.onnx");
        var stdout = new StringWriter();
        Assert.Equal(0, ExportCommand.Run(Fixture("model_lstm.safetensors"), onnx, new OnnxExportOptions(), stdout));
        Assert.StartsWith($"workbench export: wrote {onnx} (ONNX opset 14: LSTM(", stdout.ToString());
        var expected = RecurrentCheckpoint.Load<float>(SafetensorsFile.Load(Fixture("model_lstm.safetensors")));
        var imported = OnnxImport.LoadRecurrentLayer(onnx);
        Assert.Equal(expected.Options with { Seed = 0 }, imported.Options with { Seed = 0 });
        for (int i = 0; i < expected.Parameters.Count; i++)
            Assert.Equal(expected.Parameters[i].Value.Data, imported.Parameters[i].Value.Data);
    }

    [Fact]
    public void RunFolderExportsTheWholeModel()
    {
        string run = Path.Combine(_folder, "run");
        var config = new RunConfig { Task = "order", Model = "gru", Bidirectional = true, Hidden = 4, SeqLen = 10, Steps = 2, BatchSize = 4, TrainCount = 16 };
        RunFolder.Run(Experiment.Create(config), run);
        string onnx = Path.Combine(_folder, "order.onnx");
        Assert.Equal(0, ExportCommand.Run(run, onnx, new OnnxExportOptions(), new StringWriter()));

        var trained = (SequenceClassifier<float>)RunFolder.LoadTrained(run).Model;
        var imported = Assert.IsType<SequenceClassifier<float>>(OnnxImport.LoadModel(onnx));
        var batch = TokenBatch.Create([[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]], null, [0, 1]);
        NdArray<float> expected = trained.Forward(batch), actual = imported.Forward(batch);
        Assert.Equal(expected.Data, actual.Data);
    }

    [Fact]
    public void MissingSourceIsOneLineAndExitCode2()
    {
        string missing = Path.Combine(_folder, "nothing"), output = Path.Combine(_folder, "x.onnx");
        var result = WorkbenchProcess.Run(["export", "--to", "onnx", missing, "-o", output]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"workbench export: {missing}: no such run folder or checkpoint file", result.Stderr.Trim());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void DamagedCheckpointAndEmptyFolderAreOneLineAndExitCode2()
    {
        string damaged = Path.Combine(_folder, "damaged.safetensors"), empty = Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName;
        File.WriteAllText(damaged, "not a safetensors file");
        foreach (string source in new[] { damaged, empty })
        {
            string output = Path.Combine(_folder, "x.onnx");
            var result = WorkbenchProcess.Run(["export", "--to", "onnx", source, "-o", output]);
            Assert.Equal(2, result.ExitCode);
            Assert.Single(result.Stderr.Trim().Split('\n'));
            Assert.StartsWith("workbench export: ", result.Stderr);
            Assert.Contains(source, result.Stderr);
            Assert.False(File.Exists(output));
        }
    }

    [Fact]
    public void UnknownFormatIsOneLineAndExitCode2()
    {
        var result = WorkbenchProcess.Run(["export", "--to", "tflite", Fixture("model_gru.safetensors"), "-o", Path.Combine(_folder, "x")]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("workbench export: --to 'tflite' is not one of onnx", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}

using Workbench.Models;
using Workbench.Recurrent;

namespace Workbench.Onnx.Tests.Export;

/// <summary>
/// ONNX's LSTM operator has no projection (PyTorch's proj_size): exporting a projected LSTM, alone or inside a
/// model, fails with one line naming the option, and writes no file.
/// </summary>
public sealed class ProjectionExportTests
{
    [Fact]
    public void ProjectedLstmIsRefusedWithTheOptionNamed()
    {
        var options = new RecurrentLayerOptions(RecurrentKind.Lstm, 3, 4) { ProjectionSize = 2 };
        string path = Path.Combine(Path.GetTempPath(), $"workbench-proj-{Guid.NewGuid():N}.onnx");
        var ex = Assert.Throws<NotSupportedException>(() => OnnxExport.Save(new RecurrentLayer<float>(options), path));
        Assert.Contains("ProjectionSize = 2", ex.Message);
        Assert.Contains("proj_size", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.False(File.Exists(path));

        var model = new SequenceTagger<float>(10, 5, new SequenceModelOptions(options) { EmbeddingDim = 3 });
        ex = Assert.Throws<NotSupportedException>(() => OnnxExport.ToBytes(model));
        Assert.Contains("ProjectionSize = 2", ex.Message);

        // The same layer without the projection exports.
        Assert.NotEmpty(OnnxExport.ToBytes(new RecurrentLayer<float>(options with { ProjectionSize = 0 })));
    }

    [Fact]
    public void BatchFirstLayerIsRefusedWithTheOptionNamed()
    {
        var options = new RecurrentLayerOptions(RecurrentKind.Gru, 3, 4) { BatchFirst = true };
        var ex = Assert.Throws<NotSupportedException>(() => OnnxExport.ToBytes(new RecurrentLayer<float>(options)));
        Assert.Contains("BatchFirst = true", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.NotEmpty(OnnxExport.ToBytes(new RecurrentLayer<float>(options with { BatchFirst = false })));
    }
}

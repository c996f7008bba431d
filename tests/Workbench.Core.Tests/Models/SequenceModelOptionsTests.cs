using Workbench.Models;
using Workbench.Recurrent;

namespace Workbench.Core.Tests.Models;

public class SequenceModelOptionsTests
{
    [Fact]
    public void EveryGruFormAndTheBiasReachTheRecurrentLayer()
    {
        var options = new SequenceModelOptions(RecurrentKind.Gru, 8)
        {
            Bias = false,
            ResetPlacement = GruResetPlacement.ResetBefore,
            UpdateConvention = GruUpdateConvention.ZWeighsCandidate,
        };
        var layer = options.RecurrentOptions(inputSize: 5);
        Assert.False(layer.Bias);
        Assert.Equal(GruResetPlacement.ResetBefore, layer.ResetPlacement);
        Assert.Equal(GruUpdateConvention.ZWeighsCandidate, layer.UpdateConvention);

        var defaults = new SequenceModelOptions(RecurrentKind.Gru, 8).RecurrentOptions(5);
        Assert.True(defaults.Bias);
        Assert.Equal(GruResetPlacement.ResetAfter, defaults.ResetPlacement);
        Assert.Equal(GruUpdateConvention.ZWeighsPrevious, defaults.UpdateConvention);
    }

    [Fact]
    public void BatchFirstAndDropoutAreRefusedByTheModelsWithTheOptionNamed()
    {
        var batchFirst = Assert.Throws<ArgumentException>(() =>
            new SequenceModelOptions(new RecurrentLayerOptions(RecurrentKind.Lstm, 1, 8) { BatchFirst = true }));
        Assert.Contains("BatchFirst", batchFirst.Message);
        var dropout = Assert.Throws<ArgumentException>(() =>
            new SequenceClassifier<float>(10, 2, new SequenceModelOptions(RecurrentKind.Gru, 8)
            {
                Recurrent = new RecurrentLayerOptions(RecurrentKind.Gru, 1, 8) { NumLayers = 2, Dropout = 0.5 },
            }));
        Assert.Contains("Dropout = 0.5", dropout.Message);
    }
}

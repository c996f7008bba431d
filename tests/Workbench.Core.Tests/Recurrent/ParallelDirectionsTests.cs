using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>
/// The two directions of a bidirectional layer may run side by side on two threads; the results must be the same
/// bits as running them one after the other, for every kind, with lengths, initial states and stacked layers.
/// </summary>
public class ParallelDirectionsTests
{
    [Theory]
    [InlineData("rnn-tanh")]
    [InlineData("rnn-relu")]
    [InlineData("lstm")]
    [InlineData("gru-after")]
    [InlineData("gru-before-seeds")]
    public void SideBySideDirectionsGiveTheSameBitsAsSerialOnes(string kind)
    {
        var serial = Run(kind, serialDirections: true);
        var sideBySide = Run(kind, serialDirections: false);
        Assert.Equal(serial.Count, sideBySide.Count);
        for (int i = 0; i < serial.Count; i++) AssertBitwiseEqual(serial[i], sideBySide[i]);
    }

    private static List<NdArray<float>> Run(string kind, bool serialDirections)
    {
        var random = new Random(21);
        // Wide enough that the per-step products take the packed GEMM path, which splits over threads.
        var layer = new RecurrentLayer<float>(Options(kind, 24, 40, layers: 2, bidirectional: true));
        bool lstm = kind == "lstm";
        var x = Random<float>(random, 7, 20, 24);
        var h0 = Random<float>(random, 4, 20, 40);
        var c0 = lstm ? Random<float>(random, 4, 20, 40) : null;
        var gradOutput = Random<float>(random, 7, 20, 80);
        var gradHn = Random<float>(random, 4, 20, 40);
        var gradCn = lstm ? Random<float>(random, 4, 20, 40) : null;
        int[] lengths = Enumerable.Range(0, 20).Select(b => 1 + (b * 5) % 7).ToArray();
        bool previous = RecurrentParallelism.SerialDirections;
        RecurrentParallelism.SerialDirections = serialDirections;
        try
        {
            var output = layer.Forward(x, lengths, h0, c0);
            var grads = layer.Backward(gradOutput, gradHn, gradCn);
            return Everything(layer, output, grads);
        }
        finally
        {
            RecurrentParallelism.SerialDirections = previous;
        }
    }
}

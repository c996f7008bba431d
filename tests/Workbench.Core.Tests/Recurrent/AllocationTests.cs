using Workbench.Recurrent;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>After a warm-up call, a Forward + Backward with the same shapes allocates nothing (not a timing test).</summary>
[Collection(AllocationMeasurements.Name)]
public class AllocationTests
{
    [Theory]
    [InlineData("rnn-tanh")]
    [InlineData("rnn-relu")]
    [InlineData("lstm")]
    [InlineData("gru-after")]
    [InlineData("gru-before-seeds")]
    public void RepeatedForwardBackwardAllocatesNothing(string kind)
    {
        var random = new Random(9);
        var layer = new RecurrentLayer<float>(Options(kind, 5, 4, layers: 2, bidirectional: true) with { ReuseOutputs = true });
        var x = Random<float>(random, 6, 3, 5);
        var gradOutput = Random<float>(random, 6, 3, 8);
        var gradHn = Random<float>(random, 4, 3, 4);
        var h0 = Random<float>(random, 4, 3, 4);
        int[] lengths = [6, 2, 4];
        layer.Forward(x, lengths, h0);
        layer.Backward(gradOutput, gradHn);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            layer.Forward(x, lengths, h0);
            layer.Backward(gradOutput, gradHn);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ShorterBatchesReuseTheWorkspace()
    {
        var random = new Random(10);
        var layer = new RecurrentLayer<double>(Options("lstm", 3, 4) with { ReuseOutputs = true });
        layer.Forward(Random<double>(random, 8, 4, 3));
        var small = Random<double>(random, 5, 4, 3);
        layer.Forward(small);
        layer.Backward(Random<double>(random, 5, 4, 4));
        long before = GC.GetAllocatedBytesForCurrentThread();
        layer.Forward(small);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

using Workbench.Recurrent;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>Dropout and batch_first keep the warm Forward + Backward allocation-free (not a timing test).</summary>
[Collection(AllocationMeasurements.Name)]
public class OptionsAllocationTests
{
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru-after")]
    public void DropoutAndBatchFirstAllocateNothingPerCall(string kind)
    {
        var random = new Random(9);
        var layer = new RecurrentLayer<float>(Options(kind, 5, 4, layers: 3, bidirectional: true) with { ReuseOutputs = true, Dropout = 0.2, BatchFirst = true });
        var x = Random<float>(random, 3, 6, 5);
        var gradOutput = Random<float>(random, 3, 6, 8);
        int[] lengths = [6, 2, 4];
        layer.Forward(x, lengths);
        layer.Backward(gradOutput);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            layer.Forward(x, lengths);
            layer.Backward(gradOutput);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

using Workbench.Numerics;
using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>
/// A fused float step keeps rows apart, so a direction's forward loop may run its sorted batch in row parts on
/// separate threads for the whole sequence. The results (forward, and the backward pass that reads what the forward
/// kept) must be the same bits as one part on one thread, with lengths that end inside a part, initial states,
/// stacked and bidirectional layers.
/// </summary>
[Collection(GlobalGemmSettings.Name)]
public class RowPartsTests
{
    public static TheoryData<string, string> KindsAndWidths()
    {
        var data = new TheoryData<string, string>();
        foreach (string kind in new[] { "lstm", "gru-after" })
            foreach (var lanes in new[] { FusedLanes.Vector512, FusedLanes.Vector256 })
                if (FusedLanesSupport.IsSupported(lanes)) data.Add(kind, lanes.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndWidths))]
    public void RowPartsGiveTheSameBitsAsOnePartOnOneThread(string kind, string width)
    {
        foreach (int batch in new[] { 20, 37 })
        {
            var one = Run(kind, width, batch, threads: 1, serialRows: true, out int oneParts);
            var two = Run(kind, width, batch, threads: 2, serialRows: false, out int twoParts);
            var three = Run(kind, width, batch, threads: 3, serialRows: false, out int threeParts);
            Assert.Equal(1, oneParts);
            Assert.Equal(2, twoParts);
            Assert.Equal(batch / 8 >= 3 ? 3 : 2, threeParts);
            for (int i = 0; i < one.Count; i++)
            {
                AssertBitwiseEqual(one[i], two[i]);
                AssertBitwiseEqual(one[i], three[i]);
            }
        }
    }

    [Fact]
    public void SmallBatchesLargeWeightsAndUnfusedStepsRunInOnePart()
    {
        int previous = Gemm.ThreadCount;
        Gemm.ThreadCount = 2;
        try
        {
            Assert.Equal(1, new RecurrentLayer<float>(Options("lstm", 4, 8)).RowParts(15));
            Assert.Equal(2, new RecurrentLayer<float>(Options("lstm", 4, 8)).RowParts(16));
            Assert.Equal(1, new RecurrentLayer<double>(Options("lstm", 4, 8)).RowParts(64));
            Assert.Equal(1, new RecurrentLayer<float>(Options("gru-before", 4, 8)).RowParts(64));
            // W_hh of 4·256·256 floats (1 MB) is past what a part may re-read every step; 4·128·128 (256 KB) is not.
            Assert.Equal(1, new RecurrentLayer<float>(Options("lstm", 4, 256)).RowParts(64));
            Assert.Equal(2, new RecurrentLayer<float>(Options("lstm", 4, 128)).RowParts(64));
            Assert.Equal(1, new RecurrentLayer<float>(Options("lstm", 4, 8)) { FusedLanes = FusedLanes.None }.RowParts(64));
        }
        finally
        {
            Gemm.ThreadCount = previous;
        }
    }

    private static List<NdArray<float>> Run(string kind, string width, int batch, int threads, bool serialRows, out int parts)
    {
        bool previousSerialRows = RecurrentParallelism.SerialRows, previousSerialDirections = RecurrentParallelism.SerialDirections;
        int previousThreads = Gemm.ThreadCount;
        RecurrentParallelism.SerialRows = serialRows;
        // Directions one after the other, so that each direction has the threads for its rows.
        RecurrentParallelism.SerialDirections = true;
        Gemm.ThreadCount = threads;
        try
        {
            var random = new Random(5);
            bool lstm = kind == "lstm";
            var layer = new RecurrentLayer<float>(Options(kind, 12, 35, layers: 2, bidirectional: true)) { FusedLanes = Enum.Parse<FusedLanes>(width) };
            parts = layer.RowParts(batch);
            var x = Random<float>(random, 9, batch, 12);
            var h0 = Random<float>(random, 4, batch, 35);
            var c0 = lstm ? Random<float>(random, 4, batch, 35) : null;
            // Lengths from 1 to 9 in an order that is not sorted, so the active prefix ends inside each part.
            int[] lengths = Enumerable.Range(0, batch).Select(b => 1 + (b * 4) % 9).ToArray();
            var output = layer.Forward(x, lengths, h0, c0);
            var grads = layer.Backward(Random<float>(random, 9, batch, 70), Random<float>(random, 4, batch, 35), lstm ? Random<float>(random, 4, batch, 35) : null);
            return Everything(layer, output, grads);
        }
        finally
        {
            RecurrentParallelism.SerialRows = previousSerialRows;
            RecurrentParallelism.SerialDirections = previousSerialDirections;
            Gemm.ThreadCount = previousThreads;
        }
    }
}

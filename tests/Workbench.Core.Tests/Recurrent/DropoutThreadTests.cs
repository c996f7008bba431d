using Workbench.Numerics;
using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>Dropout masks do not depend on the thread count or on which path ran the directions.</summary>
[Collection(GlobalGemmSettings.Name)]
public class DropoutThreadTests
{
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru-before")]
    public void MasksAndResultsAreTheSameBitsOnOneAndTwoThreads(string kind)
    {
        (List<NdArray<float>> Results, NdArray<float>[] Masks) Go(bool serial, int threads)
        {
            bool previousSerial = RecurrentParallelism.SerialDirections;
            int previousThreads = Gemm.ThreadCount;
            RecurrentParallelism.SerialDirections = serial;
            Gemm.ThreadCount = threads;
            try
            {
                var random = new Random(8);
                // Wide enough for the packed, threaded GEMM; bidirectional for the side-by-side directions.
                var layer = new RecurrentLayer<float>(Options(kind, 24, 40, layers: 3, bidirectional: true) with { Dropout = 0.35 });
                var x = Random<float>(random, 6, 20, 24);
                int[] lengths = Enumerable.Range(0, 20).Select(b => 1 + (b * 5) % 6).ToArray();
                var output = layer.Forward(x, lengths);
                var grads = layer.Backward(Random<float>(random, 6, 20, 80));
                return (Everything(layer, output, grads), [layer.DropoutMask(0), layer.DropoutMask(1)]);
            }
            finally
            {
                RecurrentParallelism.SerialDirections = previousSerial;
                Gemm.ThreadCount = previousThreads;
            }
        }
        var one = Go(serial: true, threads: 1);
        var two = Go(serial: false, threads: 2);
        for (int l = 0; l < 2; l++) AssertBitwiseEqual(one.Masks[l], two.Masks[l]);
        for (int i = 0; i < one.Results.Count; i++) AssertBitwiseEqual(one.Results[i], two.Results[i]);
    }
}

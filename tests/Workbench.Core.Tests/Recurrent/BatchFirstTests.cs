using Workbench.Recurrent;
using Workbench.Tensors;
using static Workbench.Core.Tests.Recurrent.RecurrentTestKit;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>batch_first is a layout only: the same bits as time-major, transposed. Parity with torch: RecurrentOptionsParityTests.</summary>
public class BatchFirstTests
{
    /// <summary>(A, B, F) → (B, A, F).</summary>
    public static NdArray<T> Transpose01<T>(NdArray<T> a) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        int d0 = a.Shape[0], d1 = a.Shape[1], f = a.Shape[2];
        var result = NdArray<T>.Zeros(d1, d0, f);
        for (int i = 0; i < d0; i++)
            for (int j = 0; j < d1; j++)
                a.Data.AsSpan((i * d1 + j) * f, f).CopyTo(result.Data.AsSpan((j * d0 + i) * f, f));
        return result;
    }

    [Theory]
    [InlineData("lstm", 0.0)]
    [InlineData("gru-after", 0.4)]
    [InlineData("rnn-tanh", 0.0)]
    public void BatchFirstIsTheTimeMajorResultTransposed(string kind, double dropout)
    {
        var options = Options(kind, 3, 4, layers: 2, bidirectional: true) with { Dropout = dropout };
        var timeMajor = new RecurrentLayer<float>(options);
        var batchFirst = new RecurrentLayer<float>(options with { BatchFirst = true });
        var random = new Random(6);
        bool lstm = kind == "lstm";
        var x = Random<float>(random, 5, 3, 3);
        var h0 = Random<float>(random, 4, 3, 4);
        var c0 = lstm ? Random<float>(random, 4, 3, 4) : null;
        var gradOutput = Random<float>(random, 5, 3, 8);
        int[] lengths = [3, 5, 1];

        var a = timeMajor.Forward(x, lengths, h0, c0);
        var b = batchFirst.Forward(Transpose01(x), lengths, h0, c0);
        Assert.Equal([3, 5, 8], b.Output.Shape);
        AssertBitwiseEqual(Transpose01(a.Output), b.Output);
        AssertBitwiseEqual(a.Hn, b.Hn);   // (L·D, B, H) in both layouts, as torch
        if (lstm) AssertBitwiseEqual(a.Cn!, b.Cn!);

        var ga = timeMajor.Backward(gradOutput);
        var gb = batchFirst.Backward(Transpose01(gradOutput));
        Assert.Equal([3, 5, 3], gb.Input.Shape);
        AssertBitwiseEqual(Transpose01(ga.Input), gb.Input);
        AssertBitwiseEqual(ga.H0, gb.H0);
        for (int i = 0; i < timeMajor.Parameters.Count; i++) AssertBitwiseEqual(timeMajor.Parameters[i].Grad, batchFirst.Parameters[i].Grad);
    }

    [Fact]
    public void ShapeErrorsNameTheBatchFirstLayout()
    {
        var layer = new RecurrentLayer<float>(new RecurrentLayerOptions(RecurrentKind.Gru, 3, 4) { BatchFirst = true });
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(NdArray<float>.Zeros(2, 5)));
        Assert.Contains("(B, T, 3) (batch_first)", ex.Message);
        layer.Forward(NdArray<float>.Zeros(2, 5, 3));
        ex = Assert.Throws<ArgumentException>(() => layer.Backward(NdArray<float>.Zeros(5, 2, 4)));
        Assert.Contains("(2, 5, 4)", ex.Message);
        // Lengths count per sequence: B of them, each in 1..T.
        ex = Assert.Throws<ArgumentException>(() => layer.Forward(NdArray<float>.Zeros(2, 5, 3), [5, 6]));
        Assert.Contains("outside 1..5", ex.Message);
    }
}

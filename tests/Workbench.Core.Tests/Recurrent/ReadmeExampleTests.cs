using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Recurrent;

/// <summary>The library example in README.md, kept compiling and true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExampleRunsWithTheShapesItPromises()
    {
        var gru = new Gru<float>(inputSize: 8, hiddenSize: 16, numLayers: 2, bidirectional: true, seed: 1);
        var x = NdArray<float>.Zeros(50, 4, 8);
        var (output, hN, _) = gru.Forward(x, lengths: [50, 31, 7, 50]);
        var grads = gru.Backward(NdArray<float>.Zeros(output.Shape));

        Assert.Equal(new[] { 50, 4, 32 }, output.Shape);
        Assert.Equal(new[] { 4, 4, 16 }, hN.Shape);
        Assert.Equal(x.Shape, grads.Input.Shape);
        Assert.All(Enumerable.Range(7, 43), t => Assert.Equal(0f, output[t, 2, 0]));   // padded steps of the length-7 sequence
    }
}

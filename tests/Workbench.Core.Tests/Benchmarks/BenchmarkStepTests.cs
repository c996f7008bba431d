using Workbench.Benchmarks;

namespace Workbench.Core.Tests.Benchmarks;

[Collection(AllocationMeasurements.Name)]
public class BenchmarkStepTests
{
    [Theory]
    [InlineData("rnn")]
    [InlineData("gru")]
    [InlineData("lstm")]
    [InlineData("bigru")]
    public void TinyTrainingStepAllocatesNothingAfterWarmUp(string model)
    {
        var (e, h, b, t) = RecurrentBenchmark.Shapes["tiny"];
        var bench = new BenchmarkStep(model, e, h, b, t, seed: 5);
        for (int i = 0; i < 3; i++) { bench.TrainStep(); bench.InferStep(); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) { bench.TrainStep(); bench.InferStep(); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

using Workbench.Benchmarks;

namespace Workbench.Core.Tests.Benchmarks;

public class RecurrentBenchmarkTests
{
    [Fact]
    public void CellsListEachModelInTrainingThenEachInInferencePerShape()
    {
        var cells = RecurrentBenchmark.Cells(["lstm", "rnn", "bigru"], ["tiny", "small"], ["train", "infer"]);
        Assert.Equal(
        [
            ("lstm", "tiny", "train"), ("rnn", "tiny", "train"), ("bigru", "tiny", "train"),
            ("lstm", "tiny", "infer"), ("rnn", "tiny", "infer"), ("bigru", "tiny", "infer"),
            ("lstm", "small", "train"), ("rnn", "small", "train"), ("bigru", "small", "train"),
            ("lstm", "small", "infer"), ("rnn", "small", "infer"), ("bigru", "small", "infer"),
        ], cells);
    }

    [Fact]
    public void InferenceOnlySelectsEveryModelsInferenceCell()
    {
        Assert.Equal([("rnn", "tiny", "infer"), ("lstm", "tiny", "infer"), ("bigru", "tiny", "infer")],
            RecurrentBenchmark.Cells(["rnn", "lstm", "bigru"], ["tiny"], ["infer"]));
    }

    [Fact]
    public void ReferenceIsMissingRatherThanThrowingWhereThereIsNoTarget()
    {
        Assert.Equal(46_000, RecurrentBenchmark.TryReference("gru", "tiny", "infer"));
        Assert.Equal(9_800, RecurrentBenchmark.TryReference("lstm", "large", "train"));
        Assert.Null(RecurrentBenchmark.TryReference("lstm", "tiny", "infer"));
        Assert.Null(RecurrentBenchmark.TryReference("gru", "64x128x32x100", "infer"));
    }

    [Theory]
    [InlineData("rnn", 1, 1)]
    [InlineData("gru", 3, 1)]
    [InlineData("lstm", 4, 1)]
    [InlineData("bigru", 3, 2)]
    public void InferenceFlopsCountEveryGateAndDirection(string model, int gates, int directions)
    {
        const int e = 16, h = 32, b = 2, t = 5;
        var bench = new BenchmarkStep(model, e, h, b, t, seed: 1);
        // Input and recurrent products, multiply-add counted as two.
        Assert.Equal(2.0 * t * b * gates * directions * h * (e + h), bench.InferFlops);
    }
}

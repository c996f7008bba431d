using Workbench.Data;

namespace Workbench.Core.Tests.Data;

public class TaskGeneratorTests
{
    [Fact]
    public void AddingProblemTargetIsSumOfMarkedValues()
    {
        var set = AddingProblem.Generate<double>(50, 30, seed: 3);
        Assert.Equal(new[] { 30, 50, 2 }, set.Inputs.Shape);
        for (int n = 0; n < 50; n++)
        {
            double sum = 0; int marks = 0, firstHalf = 0;
            for (int t = 0; t < 30; t++)
            {
                if (set.Inputs[t, n, 1] == 1) { sum += set.Inputs[t, n, 0]; marks++; if (t < 15) firstHalf++; }
                else Assert.Equal(0, set.Inputs[t, n, 1]);
            }
            Assert.Equal(2, marks);
            Assert.Equal(1, firstHalf);
            Assert.Equal(sum, set.Targets[n, 0], 12);
        }
    }

    [Fact]
    public void AddingProblemBaselineIsAboutOneSixth()
    {
        var set = AddingProblem.Generate<double>(20000, 10, seed: 1);
        double mse = set.Targets.Data.Select(y => (y - 1) * (y - 1)).Average();
        Assert.InRange(mse, AddingProblem.BaselineMse - 0.007, AddingProblem.BaselineMse + 0.007);
    }

    [Fact]
    public void GeneratorsAreDeterministicFromTheSeed()
    {
        Assert.Equal(AddingProblem.Generate<float>(5, 20, 7).Inputs.Data, AddingProblem.Generate<float>(5, 20, 7).Inputs.Data);
        Assert.NotEqual(AddingProblem.Generate<float>(5, 20, 7).Inputs.Data, AddingProblem.Generate<float>(5, 20, 8).Inputs.Data);
        Assert.Equal(CopyTask.Generate(4, 3, 10, 8, 1).Inputs, CopyTask.Generate(4, 3, 10, 8, 1).Inputs);
        Assert.Equal(TemporalOrderTask.Generate(4, 30, 1).Labels, TemporalOrderTask.Generate(4, 30, 1).Labels);
        Assert.Equal(StoryTextGenerator.Generate(2000, 4), StoryTextGenerator.Generate(2000, 4));
    }

    [Fact]
    public void CopyTaskScoresOnlyTheReproduction()
    {
        var set = CopyTask.Generate(10, copyLength: 3, delay: 5, symbolCount: 4, seed: 2);
        foreach (var (x, y) in set.Inputs.Zip(set.Targets))
        {
            Assert.Equal(3 + 5 + 1 + 3, x.Length);
            Assert.Equal(5, x[8]); // delimiter
            Assert.Equal(x[..3], y[9..]);
            Assert.All(y[..9], v => Assert.Equal(TokenBatch.IgnoreIndex, v));
        }
        var batch = set.GetBatch([0, 1]);
        Assert.Equal(6, batch.ScoredCount);
    }

    [Fact]
    public void TemporalOrderLabelMatchesTheRelevantSymbols()
    {
        var set = TemporalOrderTask.Generate(40, 50, seed: 9);
        for (int n = 0; n < set.Count; n++)
        {
            var relevant = set.Inputs[n].Where(s => s is TemporalOrderTask.X or TemporalOrderTask.Y).ToArray();
            Assert.Equal(2, relevant.Length);
            int label = 2 * (relevant[0] == TemporalOrderTask.X ? 0 : 1) + (relevant[1] == TemporalOrderTask.X ? 0 : 1);
            Assert.Equal(label, set.Labels[n]);
        }
    }

    [Fact]
    public void BatchesArePaddedTimeMajor()
    {
        var batch = TokenBatch.Create([[1, 2, 3], [4]], [[5, 6, 7], [8]], null);
        Assert.Equal(3, batch.Steps);
        Assert.Equal(new[] { 1, 4, 2, 0, 3, 0 }, batch.Tokens);
        Assert.Equal(new[] { 5, 8, 6, -100, 7, -100 }, batch.Targets);
        Assert.Equal(new[] { 3, 1 }, batch.Lengths);
    }
}

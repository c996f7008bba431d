using Microsoft.Data.Analysis;
using Workbench.Models;
using Workbench.Training;

namespace Workbench.Core.Tests.Training;

public sealed class ExperimentRecordTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"wb-runs-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static RunConfig SmallCharLm(int seed = 1, long steps = 12) => new()
    {
        Task = "charlm", Model = "gru", Hidden = 16, EmbeddingDim = 8, SeqLen = 16, BatchSize = 4, Steps = steps,
        LearningRate = 0.01, Seed = seed, MaxTrainTokens = 4000, EvaluateEvery = 6,
    };

    [Fact]
    public void RunFolderRecordsConfigMetricsCheckpointAndSummary()
    {
        string dir = Path.Combine(_root, "a");
        var summary = RunFolder.Run(Experiment.Create(SmallCharLm()), dir);
        foreach (string file in new[] { RunFolder.ConfigFile, RunFolder.SummaryFile, RunFolder.StepsFile, RunFolder.EpochsFile, RunFolder.CheckpointFile, RunFolder.VocabularyFile })
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
        Assert.Equal("completed", summary.Status);
        Assert.Equal(12, summary.Steps);
        Assert.Equal(SmallCharLm(), RunFolder.ReadConfig(dir) with { }); // config round-trips (with task defaults already set)
        DataFrame steps = RunFolder.LoadSteps(dir);
        Assert.Equal(12, steps.Rows.Count);
        Assert.Equal(new[] { "step", "epoch", "loss", "grad_norm", "learning_rate", "tokens", "tokens_per_second", "elapsed_seconds", "skipped" }, steps.Columns.Select(c => c.Name));
        DataFrame epochs = RunFolder.LoadEpochs(dir);
        Assert.Equal(2, epochs.Rows.Count);
        Assert.True((double)epochs["val_bits_per_token"][1] > 0);
        Assert.Equal(summary.FinalValidationLoss!.Value, (double)epochs["val_loss"][1]);
    }

    [Fact]
    public void RunsLoadBackIntoOneDataFrame()
    {
        RunFolder.Run(Experiment.Create(SmallCharLm(seed: 1, steps: 6)), Path.Combine(_root, "shard1", "000-x"));
        RunFolder.Run(Experiment.Create(SmallCharLm(seed: 2, steps: 6)), Path.Combine(_root, "shard2", "001-y"));
        DataFrame runs = RunFolder.LoadRuns(_root);
        Assert.Equal(2, runs.Rows.Count);
        Assert.Equal(Path.Combine("shard1", "000-x"), runs["run"][0]);
        Assert.Equal(2, runs["seed"][1]);
        Assert.All(runs["final_val_loss"].Cast<double?>(), v => Assert.True(v > 0));
    }

    [Fact]
    public void ResumedRunFolderMatchesUninterruptedLosses()
    {
        string full = Path.Combine(_root, "full"), split = Path.Combine(_root, "split");
        RunFolder.Run(Experiment.Create(SmallCharLm(steps: 12)), full);
        RunFolder.Run(Experiment.Create(SmallCharLm(steps: 7)), split);
        var resumed = RunFolder.Run(Experiment.Create(SmallCharLm(steps: 12)), split, resume: true);
        Assert.Equal(12, resumed.Steps);
        var a = RunFolder.LoadSteps(full)["loss"].Cast<double>().ToArray();
        var b = RunFolder.LoadSteps(split)["loss"].Cast<double>().ToArray();
        Assert.Equal(a, b);
    }

    [Fact]
    public void TrainedLanguageModelLoadsBackAndSamples()
    {
        string dir = Path.Combine(_root, "lm");
        RunFolder.Run(Experiment.Create(SmallCharLm()), dir);
        var experiment = RunFolder.LoadTrained(dir);
        var model = Assert.IsType<LanguageModel<float>>(experiment.Model);
        string text = model.SampleText(experiment.Vocabulary!, "MARA:\n", 50, temperature: 0.8, topK: 5, seed: 3);
        Assert.Equal(50, text.Length);
        Assert.Equal(text, model.SampleText(experiment.Vocabulary!, "MARA:\n", 50, temperature: 0.8, topK: 5, seed: 3));
        Assert.Throws<ArgumentException>(() => model.SampleText(experiment.Vocabulary!, "€", 5));
    }

    [Fact]
    public void DivergingRunIsRecordedAsFailedNamingTheStep()
    {
        string dir = Path.Combine(_root, "diverge");
        var config = SmallCharLm(steps: 5) with { LearningRate = 1e38, Clip = null };
        var error = Assert.Throws<NonFiniteValueException>(() => RunFolder.Run(Experiment.Create(config), dir));
        Assert.Equal(0, error.Step); // Adam's first step size lr/(1 − β₁) = 1e39 overflows float
        Assert.True(error.InUpdate);
        Assert.Contains($"'{error.ParameterName}'", error.Message);
        Assert.Contains("Step 0", error.Message);
        var summary = RunFolder.ReadSummary(dir);
        Assert.Equal("failed", summary.Status);
        Assert.Contains("Step 0", summary.Error);

        var skipped = RunFolder.Run(Experiment.Create(config with { SkipNonFinite = true }), Path.Combine(_root, "skip"));
        // Overflowing updates are undone and NaN losses skipped; the run ends with finite parameters, but with most of
        // its steps skipped it is not "completed": it diverged, and the summary says how many steps were lost.
        int skippedSteps = RunFolder.LoadSteps(Path.Combine(_root, "skip"))["skipped"].Cast<bool>().Count(s => s);
        Assert.True(skippedSteps >= 3);
        Assert.Equal("diverged", skipped.Status);
        Assert.Equal($"{skippedSteps} of 5 steps were skipped for non-finite values", skipped.Error);
        var model = RunFolder.LoadTrained(Path.Combine(_root, "skip")).Model;
        Assert.All(model.Parameters, p => Assert.All(p.Value.Data, v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void SweepGridExpandsInOrderAndShards()
    {
        var grid = SweepGrid.Parse("""{"base": {"task": "adding", "steps": 10}, "grid": {"model": ["rnn", "gru"], "seed": [1, 2, 3]}}""");
        Assert.Equal(6, grid.Configurations.Count);
        Assert.Equal(["rnn", "rnn", "rnn", "gru", "gru", "gru"], grid.Configurations.Select(c => c.Model));
        Assert.Equal([1, 2, 3, 1, 2, 3], grid.Configurations.Select(c => c.Seed));
        Assert.Equal([1, 3, 5], grid.Shard(2, 2).Select(p => p.Index));
        Assert.Equal([0, 3], grid.Shard(1, 3).Select(p => p.Index));
        var all = Enumerable.Range(1, 4).SelectMany(i => grid.Shard(i, 4)).Select(p => p.Index).Order();
        Assert.Equal(Enumerable.Range(0, 6), all);
        var error = Assert.Throws<FormatException>(() => SweepGrid.Parse("""{"grid": {"hiddn": [1]}}""", "g.json"));
        Assert.Contains("g.json", error.Message);
        Assert.Contains("hiddn", error.Message);
        Assert.Throws<FormatException>(() => SweepGrid.ParseShard("3/2"));
    }
}

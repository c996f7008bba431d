using Workbench.Optimizers;
using Workbench.Training;

namespace Workbench.Core.Tests.Training;

public class TrainerTests
{
    private static (Trainer<double> Trainer, LinearRegressionTask Task) Make(TrainerOptions options, int seed = 1)
    {
        var task = new LinearRegressionTask(seed: seed);
        var optimizer = new Adam<double>(task.Model.Parameters, learningRate: 0.05);
        return (new Trainer<double>(task, optimizer, options), task);
    }

    [Fact]
    public void LossFallsAndEventsFire()
    {
        var (trainer, _) = Make(new TrainerOptions { Epochs = 10, Seed = 3 });
        int stepEvents = 0, epochEvents = 0;
        trainer.StepCompleted += _ => stepEvents++;
        trainer.EpochCompleted += _ => epochEvents++;
        var result = trainer.Run();
        Assert.Equal(80, result.StepsTaken);
        Assert.Equal(80, stepEvents);
        Assert.Equal(10, epochEvents);
        Assert.True(result.Epochs[^1].Validation!.Loss < 0.05 * result.Epochs[0].Validation!.Loss);
        Assert.All(result.Steps, s => Assert.True(s.GradientNorm >= 0 && s.TokensPerSecond > 0));
    }

    [Fact]
    public void SameSeedGivesBitIdenticalLosses()
    {
        var a = Make(new TrainerOptions { Epochs = 3, Seed = 5 }).Trainer.Run();
        var b = Make(new TrainerOptions { Epochs = 3, Seed = 5 }).Trainer.Run();
        var c = Make(new TrainerOptions { Epochs = 3, Seed = 6 }).Trainer.Run();
        Assert.Equal(a.Steps.Select(s => BitConverter.DoubleToInt64Bits(s.Loss)), b.Steps.Select(s => BitConverter.DoubleToInt64Bits(s.Loss)));
        Assert.NotEqual(a.Steps.Select(s => s.Loss), c.Steps.Select(s => s.Loss));
    }

    [Fact]
    public void ResumeFromCheckpointEqualsUninterruptedRun()
    {
        var options = new TrainerOptions { Steps = 30, Seed = 2, ClipGradientNorm = 1.0, Schedule = LearningRateSchedule.Cosine(0.05, 30).WithLinearWarmup(4) };
        var full = Make(options).Trainer.Run();

        string path = Path.Combine(Path.GetTempPath(), $"wb-{Guid.NewGuid():N}.safetensors");
        try
        {
            // Stop mid-epoch at step 13 (8 batches per epoch), save, and resume in a fresh trainer.
            var (first, _) = Make(options with { Steps = 13 });
            first.Run();
            first.SaveCheckpoint(path);
            var (second, _) = Make(options);
            second.LoadCheckpoint(path);
            Assert.Equal(13, second.Step);
            var rest = second.Run();
            Assert.Equal(full.Steps.Skip(13).Select(s => s.Loss), rest.Steps.Select(s => s.Loss));
            Assert.Equal(full.FinalValidation!.Loss, rest.FinalValidation!.Loss);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ZeroStepResumeKeepsTheCarriedState()
    {
        var options = new TrainerOptions { Steps = 13, Seed = 2 };
        string first = Path.Combine(Path.GetTempPath(), $"wb-{Guid.NewGuid():N}.safetensors");
        string second = Path.Combine(Path.GetTempPath(), $"wb-{Guid.NewGuid():N}.safetensors");
        try
        {
            var (trainer, _) = Make(options);
            trainer.Run();
            trainer.SaveCheckpoint(first);
            // Resumed with nothing left to do (step 13 of 13, mid-epoch): the checkpoint it writes carries the same state.
            var (idle, _) = Make(options);
            idle.LoadCheckpoint(first);
            Assert.Empty(idle.Run().Steps);
            idle.SaveCheckpoint(second);
            var before = Workbench.Checkpoints.SafetensorsFile.Load(first).GetArray<double>("carried.sum");
            var after = Workbench.Checkpoints.SafetensorsFile.Load(second).GetArray<double>("carried.sum");
            Assert.NotEqual(0, before.Data[0]);
            Assert.Equal(before.Data, after.Data);
        }
        finally { File.Delete(first); File.Delete(second); }
    }

    [Fact]
    public void ValidationInterruptedByCancellationIsDoneOnResume()
    {
        var options = new TrainerOptions { Epochs = 3, Seed = 4 };
        var full = Make(options).Trainer.Run();
        string path = Path.Combine(Path.GetTempPath(), $"wb-{Guid.NewGuid():N}.safetensors");
        try
        {
            // Ctrl+C arrives while the second epoch's validation runs (after step 16).
            var (trainer, task) = Make(options);
            using var cancel = new CancellationTokenSource();
            task.OnEvaluate = () => { if (trainer.Step == 16) cancel.Cancel(); };
            var stopped = trainer.Run(cancel.Token);
            Assert.True(stopped.Cancelled);
            Assert.Equal(16, trainer.Step);
            Assert.Single(stopped.Epochs);
            trainer.SaveCheckpoint(path);

            var (resumed, _) = Make(options);
            resumed.LoadCheckpoint(path);
            var rest = resumed.Run();
            Assert.Equal(full.Epochs.Skip(1).Select(e => (e.Step, e.TrainLoss, e.Validation!.Loss)),
                rest.Epochs.Select(e => (e.Step, e.TrainLoss, e.Validation!.Loss)));
            Assert.Equal(full.Steps.Skip(16).Select(s => s.Loss), rest.Steps.Select(s => s.Loss));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void CancellationStopsPromptlyAndLeavesAUsableModel()
    {
        var (trainer, task) = Make(new TrainerOptions { Steps = 1_000_000 });
        using var cts = new CancellationTokenSource();
        task.OnBatch = _ => { if (task.BatchCalls == 25) cts.Cancel(); };
        var result = trainer.Run(cts.Token);
        Assert.True(result.Cancelled);
        Assert.Equal(25, result.StepsTaken); // the step in flight completes, no further step starts
        Assert.All(task.Model.Weight.Value.Data, v => Assert.True(double.IsFinite(v)));
        var evaluation = task.Evaluate(CancellationToken.None)!;
        Assert.True(double.IsFinite(evaluation.Loss));
        // ...and it can keep training.
        var more = new Trainer<double>(task, trainer.Optimizer, new TrainerOptions { Steps = 5 }).Run();
        Assert.Equal(5, more.StepsTaken);
    }

    [Fact]
    public void NonFiniteGradientNamesStepAndParameter()
    {
        var (trainer, task) = Make(new TrainerOptions { Steps = 20 });
        task.PoisonLossAtCall = 7;
        var error = Assert.Throws<NonFiniteValueException>(() => trainer.Run());
        Assert.Equal(6, error.Step);
        Assert.Equal("linear.weight", error.ParameterName);
        Assert.Contains("Step 6", error.Message);
        Assert.Contains("'linear.weight'", error.Message);
    }

    [Fact]
    public void NonFiniteStepCanBeSkipped()
    {
        var (trainer, task) = Make(new TrainerOptions { Steps = 20, NonFinite = NonFinitePolicy.SkipStep });
        task.PoisonLossAtCall = 7;
        var result = trainer.Run();
        Assert.True(result.Steps[6].Skipped);
        Assert.Equal(1, result.Steps.Count(s => s.Skipped));
        Assert.All(task.Model.Weight.Value.Data, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void EarlyStoppingStopsWhenValidationStalls()
    {
        var (trainer, _) = Make(new TrainerOptions { Epochs = 500, EarlyStoppingPatience = 2 });
        trainer.Optimizer.LearningRate = 0; // nothing improves after the first evaluation
        var result = trainer.Run();
        Assert.True(result.StoppedEarly);
        Assert.Equal(3, result.Epochs.Count);
    }

    [Fact]
    public void SchedulesFollowTheirFormulas()
    {
        Assert.Equal(0.1 * 0.5 * 0.5, LearningRateSchedule.StepDecay(0.1, 10, 0.5).At(25), 15);
        var cosine = LearningRateSchedule.Cosine(1.0, 100, 0.1);
        Assert.Equal(1.0, cosine.At(0), 15);
        Assert.Equal(0.55, cosine.At(50), 12);
        Assert.Equal(0.1, cosine.At(100), 15);
        var warm = LearningRateSchedule.Constant(0.2).WithLinearWarmup(4);
        Assert.Equal(new[] { 0.05, 0.1, 0.15, 0.2, 0.2 }, Enumerable.Range(0, 5).Select(s => Math.Round(warm.At(s), 12)));
        Assert.Equal(0.05, LearningRateSchedule.Parse("step:10:0.5+warmup:2", 0.1, 100).At(10), 15);
        Assert.Throws<FormatException>(() => LearningRateSchedule.Parse("linear", 0.1, 100));
    }
}

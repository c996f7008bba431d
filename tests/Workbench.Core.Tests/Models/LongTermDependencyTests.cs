using Workbench.Data;
using Workbench.Models;
using Workbench.Optimizers;
using Workbench.Recurrent;
using Workbench.Training;
using Xunit.Abstractions;

namespace Workbench.Core.Tests.Models;

/// <summary>
/// The seeds' claim: gated units (LSTM, GRU) carry information across long gaps, the vanilla RNN does not.
/// Adding problem at T = 30 (the first marked value must be kept ~15+ steps), same budget, optimizer and size for all three.
/// The full-size experiment (T = 100) is in data/README.md; it is too slow for a unit test.
/// </summary>
public class LongTermDependencyTests(ITestOutputHelper output)
{
    private const int Length = 30, Hidden = 32, MaxSteps = 1500, BatchSize = 32;
    private const double Solved = 0.01; // 6 % of the baseline MSE 0.167

    private double BestValidationMse(RecurrentKind kind)
    {
        var train = AddingProblem.Generate<float>(MaxSteps * BatchSize, Length, seed: 1);
        var validation = AddingProblem.Generate<float>(500, Length, seed: 2);
        var model = new SequenceRegressor<float>(AddingProblem.InputSize, 1, new SequenceModelOptions(kind, Hidden) { Seed = 3 });
        var task = new RegressionTask<float>(model, train, validation, BatchSize);
        var trainer = new Trainer<float>(task, new Adam<float>(model.Parameters, 0.01),
            new TrainerOptions { Steps = MaxSteps, EvaluateEvery = 100, ClipGradientNorm = 1.0, Seed = 1 });
        double best = double.PositiveInfinity;
        using var stop = new CancellationTokenSource();
        trainer.EpochCompleted += e =>
        {
            best = Math.Min(best, e.Validation!.Loss);
            if (best < Solved / 2) stop.Cancel(); // solved: no need to spend the rest of the budget
        };
        var result = trainer.Run(stop.Token);
        output.WriteLine($"{kind}: best validation MSE {best:F4} after {result.StepsTaken} steps (baseline {AddingProblem.BaselineMse:F3})");
        return best;
    }

    [Fact]
    public void GatedUnitsSolveTheAddingProblemWhereTheVanillaRnnDoesNot()
    {
        double lstm = BestValidationMse(RecurrentKind.Lstm);
        double gru = BestValidationMse(RecurrentKind.Gru);
        double rnn = BestValidationMse(RecurrentKind.RnnTanh);
        Assert.True(lstm < Solved, $"LSTM best MSE {lstm}");
        Assert.True(gru < Solved, $"GRU best MSE {gru}");
        Assert.True(rnn > 0.5 * AddingProblem.BaselineMse, $"vanilla RNN best MSE {rnn}: it should stay near the baseline {AddingProblem.BaselineMse}");
    }
}

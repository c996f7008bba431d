using Workbench.Data;
using Workbench.Losses;
using Workbench.Models;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Core.Tests.Models;

/// <summary>
/// The models' Backward against central finite differences in double precision, including the parts the models add
/// on top of the layers: the final-state gather for bidirectional layers with variable lengths, per-step heads, and
/// the language model's carried state (which must receive no gradient: detached).
/// </summary>
public class ModelGradientTests
{
    private static void CheckParameters(IReadOnlyList<KeyValuePair<string, Parameter<double>>> parameters, Func<double> loss, int probesPerParameter = 3)
    {
        var random = new Random(11);
        foreach (var (name, p) in parameters)
        {
            for (int probe = 0; probe < probesPerParameter; probe++)
            {
                int i = random.Next(p.Value.Length);
                double saved = p.Value.Data[i], h = 1e-5;
                p.Value.Data[i] = saved + h;
                double up = loss();
                p.Value.Data[i] = saved - h;
                double down = loss();
                p.Value.Data[i] = saved;
                double numeric = (up - down) / (2 * h);
                double analytic = p.Grad.Data[i];
                Assert.True(Math.Abs(numeric - analytic) <= 1e-6 + 1e-4 * Math.Abs(numeric),
                    $"{name}[{i}]: analytic {analytic}, numeric {numeric}");
            }
        }
    }

    [Theory]
    [InlineData(RecurrentKind.Gru, true)]
    [InlineData(RecurrentKind.Lstm, false)]
    [InlineData(RecurrentKind.RnnTanh, true)]
    public void ClassifierOnFinalStatesWithLengths(RecurrentKind kind, bool bidirectional)
    {
        var model = new SequenceClassifier<double>(7, 3, new SequenceModelOptions(kind, 5) { Bidirectional = bidirectional, NumLayers = 2, EmbeddingDim = 4, Seed = 2 });
        var batch = TokenBatch.Create([[1, 2, 3, 4, 5], [6, 1], [2, 2, 3]], null, [0, 2, 1]);
        double Loss() => CrossEntropyLoss.Compute(model.Forward(batch), batch.Labels).Loss;
        model.ZeroGrad();
        var result = CrossEntropyLoss.Compute(model.Forward(batch), batch.Labels);
        model.Backward(result.Gradient);
        CheckParameters(model.NamedParameters, Loss);
    }

    [Fact]
    public void BidirectionalTaggerPerStep()
    {
        var model = new SequenceTagger<double>(6, 4, new SequenceModelOptions(RecurrentKind.Gru, 4) { Bidirectional = true, EmbeddingDim = 3, Seed = 4 });
        var batch = TokenBatch.Create([[1, 2, 3], [4, 5]], [[0, 1, 2], [3, TokenBatch.IgnoreIndex]], null);
        double Loss() => CrossEntropyLoss.Compute(model.Forward(batch).Reshape(6, 4), batch.Targets).Loss;
        model.ZeroGrad();
        var result = CrossEntropyLoss.Compute(model.Forward(batch).Reshape(6, 4), batch.Targets);
        model.Backward(result.Gradient.Reshape(3, 2, 4));
        CheckParameters(model.NamedParameters, Loss);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RegressorOnLastStateOrPerStep(bool perStep)
    {
        var model = new SequenceRegressor<double>(2, 1, new SequenceModelOptions(RecurrentKind.Lstm, 4) { Bidirectional = true, Seed = 5 }, perStep);
        var data = AddingProblem.Generate<double>(3, 6, seed: 1);
        var target = perStep ? NdArray<double>.Zeros(6, 3, 1) : data.Targets;
        if (perStep) for (int i = 0; i < target.Length; i++) target.Data[i] = 0.1 * i;
        double Loss() => MseLoss.Compute(model.Forward(data.Inputs), target).Loss;
        model.ZeroGrad();
        var result = MseLoss.Compute(model.Forward(data.Inputs), target);
        model.Backward(result.Gradient);
        CheckParameters(model.NamedParameters, Loss);
    }

    [Fact]
    public void LanguageModelChunkIsDetachedFromTheCarriedState()
    {
        var model = new LanguageModel<double>(5, new SequenceModelOptions(RecurrentKind.Lstm, 4) { EmbeddingDim = 3, Seed = 6 });
        int[] first = [1, 2, 3, 4, 0, 1], second = [2, 3, 4, 0, 1, 2];
        int[] targets = [2, 3, 4, 0, 1, 2];
        model.Forward(first, 3, 2); // leaves a carried state
        var carriedH = model.HiddenState!.Clone();
        var carriedC = model.CellState!.Clone();
        double Loss()
        {
            model.HiddenState = carriedH.Clone();
            model.CellState = carriedC.Clone();
            return CrossEntropyLoss.Compute(model.Forward(second, 3, 2).Reshape(6, 5), targets).Loss;
        }
        model.ZeroGrad();
        model.HiddenState = carriedH.Clone();
        model.CellState = carriedC.Clone();
        var result = CrossEntropyLoss.Compute(model.Forward(second, 3, 2).Reshape(6, 5), targets);
        model.Backward(result.Gradient.Reshape(3, 2, 5));
        // Holding the carried state fixed, the gradient of this chunk is exact (truncated BPTT = the chunk's own BPTT).
        CheckParameters(model.NamedParameters, Loss);
        Assert.NotEqual(carriedH.Data, model.HiddenState!.Data); // and the state moved on
    }
}

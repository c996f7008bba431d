using Workbench.Data;
using Workbench.Models;
using Workbench.Optimizers;
using Workbench.Recurrent;
using Workbench.Training;
using Xunit.Abstractions;

namespace Workbench.Core.Tests.Models;

/// <summary>Each model learns each shipped task to a stated threshold within a small budget.</summary>
public class TaskLearningTests(ITestOutputHelper output)
{
    [Fact]
    public void BidirectionalGruTagsISawASawAndBeatsUnidirectional()
    {
        var trainSentences = ShippedData.PosTrain();
        var words = SymbolVocabulary.FromWords(trainSentences.SelectMany(s => s.Words));
        var tags = SymbolVocabulary.FromLabels(PosCorpusGenerator.TagSet);
        var train = ConllFormat.Encode(trainSentences.Take(1500), words, tags);
        var test = ConllFormat.Encode(ShippedData.PosTest(), words, tags);

        (SequenceTagger<float> Model, Evaluation Test) Fit(bool bidirectional)
        {
            var model = new SequenceTagger<float>(words.Count, tags.Count, new SequenceModelOptions(RecurrentKind.Gru, 24) { Bidirectional = bidirectional, EmbeddingDim = 16, Seed = 7 });
            var task = new TaggingTask<float>(model, train, null, batchSize: 32);
            new Trainer<float>(task, new Adam<float>(model.Parameters, 0.02), new TrainerOptions { Epochs = 4, Seed = 1 }).Run();
            return (model, task.Evaluate(test));
        }

        var (bi, biTest) = Fit(bidirectional: true);
        var (_, uniTest) = Fit(bidirectional: false);
        output.WriteLine($"test accuracy: bidirectional {biTest.Accuracy:F4}, unidirectional {uniTest.Accuracy:F4}");

        string[] predicted = bi.Predict(words.Encode(["I", "saw", "a", "saw", "."])).Select(i => tags[i]).ToArray();
        Assert.Equal(["PRON", "VERB", "DET", "NOUN", "PUNCT"], predicted);
        // The sentence-initial ambiguous words need the right context: only the bidirectional model sees it.
        Assert.Equal("VERB", tags[bi.Predict(words.Encode(["saw", "the", "plank", "."]))[0]]);
        Assert.Equal("NOUN", tags[bi.Predict(words.Encode(["saw", "blades", "cut", "the", "plank", "."]))[0]]);
        Assert.True(biTest.Accuracy > 0.99, $"bidirectional accuracy {biTest.Accuracy}");
        Assert.True(biTest.Accuracy > uniTest.Accuracy + 0.01, $"bidirectional {biTest.Accuracy} vs unidirectional {uniTest.Accuracy}");
    }

    [Fact]
    public void GruLearnsTheCopyTask()
    {
        var train = CopyTask.Generate(2000, copyLength: 3, delay: 10, symbolCount: 4, seed: 1);
        var validation = CopyTask.Generate(200, 3, 10, 4, seed: 2);
        var model = new SequenceTagger<float>(train.VocabularySize, train.ClassCount, new SequenceModelOptions(RecurrentKind.Gru, 32) { EmbeddingDim = 8, Seed = 1 });
        var task = new TaggingTask<float>(model, train, validation, 32);
        var result = new Trainer<float>(task, new Adam<float>(model.Parameters, 0.01), new TrainerOptions { Epochs = 8, Seed = 1, ClipGradientNorm = 1 }).Run();
        output.WriteLine("copy accuracy by epoch: " + string.Join(" ", result.Epochs.Select(e => e.Validation!.Accuracy?.ToString("F3"))));
        Assert.True(result.FinalValidation!.Accuracy > 0.95, $"copy accuracy {result.FinalValidation.Accuracy} (chance 0.25)");
    }

    [Fact]
    public void GruLearnsTemporalOrder()
    {
        var train = TemporalOrderTask.Generate(2000, length: 20, seed: 1);
        var validation = TemporalOrderTask.Generate(300, 20, seed: 2);
        var model = new SequenceClassifier<float>(TemporalOrderTask.VocabularySize, TemporalOrderTask.ClassCount, new SequenceModelOptions(RecurrentKind.Gru, 32) { EmbeddingDim = 8, Seed = 2 });
        var task = new ClassificationTask<float>(model, train, validation, 32);
        var result = new Trainer<float>(task, new Adam<float>(model.Parameters, 0.01), new TrainerOptions { Epochs = 4, Seed = 1, ClipGradientNorm = 1 }).Run();
        output.WriteLine("order accuracy by epoch: " + string.Join(" ", result.Epochs.Select(e => e.Validation!.Accuracy?.ToString("F3"))));
        Assert.True(result.FinalValidation!.Accuracy > 0.95, $"temporal order accuracy {result.FinalValidation.Accuracy} (chance 0.25)");
    }

    [Fact]
    public void RnnForecastsTheSineMixture()
    {
        double[] series = SineWaveGenerator.Generate(1200, noise: 0.02, seed: 1);
        var scaler = StandardScaler.Fit(series.AsSpan(0, 1000));
        double[] z = scaler.Transform(series);
        var train = TimeSeriesWindows.Create<float>(z.AsSpan(0, 1000), window: 20);
        var validation = TimeSeriesWindows.Create<float>(z.AsSpan(1000), window: 20);
        var model = new SequenceRegressor<float>(1, 1, new SequenceModelOptions(RecurrentKind.RnnTanh, 24) { Seed = 3 });
        var task = new RegressionTask<float>(model, train, validation, 32);
        var result = new Trainer<float>(task, new Adam<float>(model.Parameters, 0.01), new TrainerOptions { Epochs = 8, Seed = 1 }).Run();
        output.WriteLine("sine validation MSE by epoch: " + string.Join(" ", result.Epochs.Select(e => e.Validation!.Loss.ToString("F4"))));
        // Predicting the mean would give MSE ≈ 1 on standardized data.
        Assert.True(result.FinalValidation!.Loss < 0.02, $"sine forecast MSE {result.FinalValidation.Loss}");
    }

    [Fact]
    public void CharacterGruLearnsTheStoryText()
    {
        var corpus = ShippedData.Stories();
        var vocabulary = corpus.CharacterVocabulary();
        var model = new LanguageModel<float>(vocabulary.Count, new SequenceModelOptions(RecurrentKind.Gru, 64) { EmbeddingDim = 16, Seed = 4 });
        var task = new LanguageModelTask<float>(model, vocabulary.EncodeCharacters(corpus.Train[..40_000]), vocabulary.EncodeCharacters(corpus.Validation[..5_000]), batchSize: 16, chunkLength: 32);
        var before = task.Evaluate(CancellationToken.None)!;
        var result = new Trainer<float>(task, new Adam<float>(model.Parameters, 0.01), new TrainerOptions { Steps = 150, Seed = 1, ClipGradientNorm = 1 }).Run();
        var after = result.FinalValidation!;
        output.WriteLine($"char LM: validation {before.BitsPerToken:F3} → {after.BitsPerToken:F3} bits/char, perplexity {after.Perplexity:F2}");
        Assert.InRange(before.Perplexity, vocabulary.Count * 0.5, vocabulary.Count * 2.5); // an untrained model is near uniform
        Assert.True(after.BitsPerToken < 2.0, $"bits per character {after.BitsPerToken}");
        string sample = model.SampleText(vocabulary, "MARA:\n", 200, temperature: 0.5, topK: 10, seed: 1);
        output.WriteLine(sample);
        Assert.Equal(200, sample.Length);
    }
}

public class WordLanguageModelTests
{
    [Fact]
    public void WordLevelLstmBeatsTheUnigramPerplexity()
    {
        var corpus = ShippedData.Stories();
        string[] train = TextCorpus.Words(corpus.Train[..60_000]), validation = TextCorpus.Words(corpus.Validation[..8_000]);
        var vocabulary = SymbolVocabulary.FromWords(train);
        var model = new LanguageModel<float>(vocabulary.Count, new SequenceModelOptions(RecurrentKind.Lstm, 48) { EmbeddingDim = 24, Seed = 5 });
        var task = new LanguageModelTask<float>(model, vocabulary.Encode(train), vocabulary.Encode(validation), batchSize: 16, chunkLength: 20);
        var result = new Trainer<float>(task, new Adam<float>(model.Parameters, 0.01), new TrainerOptions { Steps = 120, Seed = 2, ClipGradientNorm = 1 }).Run();

        // The unigram model (word frequencies of the training text) is the bar a sequence model must clear.
        var counts = vocabulary.Encode(train).GroupBy(i => i).ToDictionary(g => g.Key, g => (double)g.Count());
        double unigram = Math.Exp(-vocabulary.Encode(validation).Average(i => Math.Log((counts.GetValueOrDefault(i) + 1) / (train.Length + vocabulary.Count))));
        Assert.True(result.FinalValidation!.Perplexity < 0.5 * unigram, $"word perplexity {result.FinalValidation.Perplexity} vs unigram {unigram}");
        int[] generated = model.Sample(vocabulary.Encode(["mara", ":", "\n"]), 20, temperature: 0.7, topK: 5, random: new Random(1));
        Assert.Equal(20, generated.Length);
        Assert.All(generated, id => Assert.InRange(id, 0, vocabulary.Count - 1));
    }
}

using Workbench.Data;
using Workbench.Models;
using Workbench.Optimizers;

namespace Workbench.Training;

/// <summary>
/// A <see cref="RunConfig"/> turned into objects: the data, the model, its task, the optimizer and the trainer
/// options (all float). The CLI's <c>train</c>, <c>sweep</c> and <c>demo</c> and the notebooks build runs through here.
/// </summary>
public sealed class Experiment
{
    private Experiment(RunConfig config, SequenceModel<float> model, ITrainingTask<float> task, SymbolVocabulary? vocabulary, SymbolVocabulary? labels)
    {
        Config = config;
        Model = model;
        Task = task;
        Vocabulary = vocabulary;
        Labels = labels;
        Optimizer = config.Optimizer switch
        {
            "sgd" => new Sgd<float>(model.Parameters, config.LearningRate, momentum: 0.9),
            "adamw" => new AdamW<float>(model.Parameters, config.LearningRate),
            "rmsprop" => new RmsProp<float>(model.Parameters, config.LearningRate),
            _ => new Adam<float>(model.Parameters, config.LearningRate),
        };
        long total = config.Steps ?? (long)(config.Epochs ?? 1) * task.BatchesPerEpoch;
        TrainerOptions = new TrainerOptions
        {
            Steps = config.Steps,
            Epochs = config.Epochs ?? 1,
            Seed = config.Seed,
            ClipGradientNorm = config.Clip,
            Schedule = LearningRateSchedule.Parse(config.Schedule, config.LearningRate, total),
            EarlyStoppingPatience = config.Patience,
            EvaluateEvery = config.EvaluateEvery,
            NonFinite = config.SkipNonFinite ? NonFinitePolicy.SkipStep : NonFinitePolicy.Throw,
        };
    }

    /// <summary>The configuration, with task defaults filled in.</summary>
    public RunConfig Config { get; }
    /// <summary>The model.</summary>
    public SequenceModel<float> Model { get; }
    /// <summary>The task the trainer drives.</summary>
    public ITrainingTask<float> Task { get; }
    /// <summary>The optimizer.</summary>
    public Optimizer<float> Optimizer { get; }
    /// <summary>The trainer options.</summary>
    public TrainerOptions TrainerOptions { get; }
    /// <summary>The input vocabulary (characters for charlm, words for postag), or null.</summary>
    public SymbolVocabulary? Vocabulary { get; }
    /// <summary>The tag vocabulary (postag), or null.</summary>
    public SymbolVocabulary? Labels { get; }

    /// <summary>A trainer over this experiment's task and optimizer.</summary>
    public Trainer<float> CreateTrainer() => new(Task, Optimizer, TrainerOptions);

    /// <summary>The recurrent model options of <paramref name="config"/> (kind, sizes, layers, direction, seed).</summary>
    public static SequenceModelOptions ModelOptions(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new SequenceModelOptions(SequenceModelOptions.ParseKind(config.Model), config.Hidden)
        {
            NumLayers = config.Layers,
            Bidirectional = config.Bidirectional,
            EmbeddingDim = config.EmbeddingDim,
            Seed = config.Seed,
        };
    }

    /// <summary>Builds the data, model and task of <paramref name="config"/> (validated first); defaults per task fill nulls.</summary>
    public static Experiment Create(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var options = ModelOptions(config);
        switch (config.Task)
        {
            case "adding":
            {
                config = config with { SeqLen = config.SeqLen ?? 50, Steps = config.Steps ?? (config.Epochs is null ? 1000 : null), TrainCount = config.TrainCount ?? 10_000 };
                var train = AddingProblem.Generate<float>(config.TrainCount!.Value, config.SeqLen!.Value, config.Seed);
                var validation = AddingProblem.Generate<float>(1000, config.SeqLen.Value, config.Seed + 1_000_000);
                var model = new SequenceRegressor<float>(AddingProblem.InputSize, 1, options);
                return new Experiment(config with { EvaluateEvery = config.EvaluateEvery ?? 100 }, model, new RegressionTask<float>(model, train, validation, config.BatchSize), null, null);
            }
            case "copy":
            {
                config = config with { SeqLen = config.SeqLen ?? 20, Epochs = config.Steps is null ? config.Epochs ?? 10 : config.Epochs, TrainCount = config.TrainCount ?? 4000 };
                const int copyLength = 3, symbols = 4;
                int delay = config.SeqLen!.Value - 2 * copyLength - 1;
                if (delay < 0) throw new FormatException($"config: seq_len {config.SeqLen} is too short for the copy task (at least {2 * copyLength + 1}).");
                var train = CopyTask.Generate(config.TrainCount!.Value, copyLength, delay, symbols, config.Seed);
                var validation = CopyTask.Generate(500, copyLength, delay, symbols, config.Seed + 1_000_000);
                var model = new SequenceTagger<float>(train.VocabularySize, train.ClassCount, options);
                return new Experiment(config, model, new TaggingTask<float>(model, train, validation, config.BatchSize), null, null);
            }
            case "order":
            {
                config = config with { SeqLen = config.SeqLen ?? 20, Epochs = config.Steps is null ? config.Epochs ?? 5 : config.Epochs, TrainCount = config.TrainCount ?? 3000 };
                if (config.SeqLen < 10) throw new FormatException($"config: seq_len {config.SeqLen} is too short for the temporal-order task (at least 10).");
                var train = TemporalOrderTask.Generate(config.TrainCount!.Value, config.SeqLen!.Value, config.Seed);
                var validation = TemporalOrderTask.Generate(500, config.SeqLen.Value, config.Seed + 1_000_000);
                var model = new SequenceClassifier<float>(TemporalOrderTask.VocabularySize, TemporalOrderTask.ClassCount, options);
                return new Experiment(config, model, new ClassificationTask<float>(model, train, validation, config.BatchSize), null, null);
            }
            case "sine":
            {
                config = config with { SeqLen = config.SeqLen ?? 20, Epochs = config.Steps is null ? config.Epochs ?? 10 : config.Epochs };
                double[] series = config.Corpus is null
                    ? SineWaveGenerator.Generate(2000, noise: 0.05, seed: config.Seed)
                    : TimeSeriesCsv.Load(config.Corpus).Values;
                int cut = (int)(series.Length * 0.8);
                var scaler = StandardScaler.Fit(series.AsSpan(0, cut));
                double[] z = scaler.Transform(series);
                var train = TimeSeriesWindows.Create<float>(z.AsSpan(0, cut), config.SeqLen!.Value);
                var validation = TimeSeriesWindows.Create<float>(z.AsSpan(cut), Math.Min(config.SeqLen.Value, series.Length - cut - 1));
                var model = new SequenceRegressor<float>(1, 1, options);
                return new Experiment(config, model, new RegressionTask<float>(model, train, validation, config.BatchSize), null, null);
            }
            case "postag":
            {
                config = config with { Epochs = config.Steps is null ? config.Epochs ?? 3 : config.Epochs };
                IReadOnlyList<TaggedSentence> trainSentences, devSentences;
                if (config.Corpus is null) { trainSentences = ShippedData.PosTrain(); devSentences = ShippedData.PosDev(); }
                else
                {
                    var all = ConllFormat.Read(config.Corpus);
                    int cut = Math.Max(1, (int)(all.Count * 0.9));
                    trainSentences = all.Take(cut).ToArray();
                    devSentences = all.Skip(cut).ToArray();
                }
                var words = SymbolVocabulary.FromWords(trainSentences.SelectMany(s => s.Words));
                var tags = SymbolVocabulary.FromLabels(trainSentences.Concat(devSentences).SelectMany(s => s.Tags));
                var train = ConllFormat.Encode(trainSentences, words, tags);
                var validation = devSentences.Count > 0 ? ConllFormat.Encode(devSentences, words, tags) : null;
                var model = new SequenceTagger<float>(words.Count, tags.Count, options);
                return new Experiment(config, model, new TaggingTask<float>(model, train, validation, config.BatchSize), words, tags);
            }
            default: // charlm
            {
                config = config with { SeqLen = config.SeqLen ?? 64, Steps = config.Steps ?? (config.Epochs is null ? 500 : null) };
                var corpus = config.Corpus is null ? ShippedData.Stories() : TextCorpus.Load(config.Corpus);
                var vocabulary = corpus.CharacterVocabulary();
                string trainText = config.MaxTrainTokens is int max && max < corpus.Train.Length ? corpus.Train[..max] : corpus.Train;
                var model = new LanguageModel<float>(vocabulary.Count, options);
                var task = new LanguageModelTask<float>(model, vocabulary.EncodeCharacters(trainText), vocabulary.EncodeCharacters(corpus.Validation),
                    config.BatchSize, config.SeqLen!.Value);
                return new Experiment(config, model, task, vocabulary, null);
            }
        }
    }
}

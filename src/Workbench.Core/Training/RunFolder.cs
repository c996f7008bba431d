using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using Workbench.Checkpoints;
using Workbench.Data;
using Workbench.IO;
using Workbench.Models;

namespace Workbench.Training;

/// <summary>
/// A run folder: <c>config.json</c>, <c>run.json</c> (seed, git commit, status, final metrics, wall time, tokens/s),
/// <c>steps.csv</c> and <c>epochs.csv</c> (written through a DataFrame), <c>checkpoint.safetensors</c>, and
/// <c>vocabulary.json</c>/<c>labels.json</c> when the task has them. <see cref="Run"/> trains an experiment into one.
/// </summary>
public static class RunFolder
{
    /// <summary>File names inside a run folder.</summary>
    public const string ConfigFile = "config.json", SummaryFile = "run.json", StepsFile = "steps.csv", EpochsFile = "epochs.csv",
        CheckpointFile = "checkpoint.safetensors", VocabularyFile = "vocabulary.json", LabelsFile = "labels.json";

    /// <summary>Statuses of a run that has nothing left to do: relaunching it with the same configuration is a no-op.</summary>
    public static IReadOnlyList<string> FinishedStatuses { get; } = ["completed", "stopped_early"];

    /// <summary>
    /// Trains <paramref name="experiment"/> into <paramref name="directory"/> and records everything. With
    /// <paramref name="resume"/> and an existing checkpoint, continues from it (the earlier metrics are kept); every file
    /// of the folder is read and checked before anything is written, so a folder that does not fit (another model, a
    /// damaged file) is left untouched and the <see cref="InvalidDataException"/> names the file. A finished run
    /// (<see cref="FinishedStatuses"/>) with the same configuration is returned as it is, without training.
    /// Cancellation stops the loop, and the checkpoint and metrics are still written (status "cancelled").
    /// <paramref name="checkpoints"/> adds checkpoints during training. A <see cref="NonFiniteValueException"/> is
    /// recorded (status "failed") and rethrown; a run that skipped most of its steps for non-finite values ends
    /// "diverged", not "completed".
    /// </summary>
    public static RunSummary Run(Experiment experiment, string directory, CancellationToken cancellationToken = default,
        Action<StepMetrics>? onStep = null, Action<EpochMetrics>? onEpoch = null, bool resume = false, CheckpointSchedule? checkpoints = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var trainer = experiment.CreateTrainer();
        var steps = new List<StepMetrics>();
        var epochs = new List<EpochMetrics>();
        string checkpoint = Path.Combine(directory, CheckpointFile);
        if (resume && File.Exists(checkpoint))
        {
            bool sameBudget = RequireSameRun(experiment.Config, directory);
            Checked(checkpoint, () => trainer.LoadCheckpoint(checkpoint));
            if (trainer.Step > 0)
            {
                steps.AddRange(Checked(Path.Combine(directory, StepsFile), () => ReadSteps(directory, required: true)).Where(s => s.Step < trainer.Step));
                epochs.AddRange(Checked(Path.Combine(directory, EpochsFile), () => ReadEpochs(directory)).Where(e => e.Step <= trainer.Step));
            }
            string summaryPath = Path.Combine(directory, SummaryFile);
            if (File.Exists(summaryPath))
            {
                RunSummary previous = Checked(summaryPath, () => ReadSummary(directory));
                if (sameBudget && FinishedStatuses.Contains(previous.Status) && previous.Steps == trainer.Step) return previous;
            }
        }
        Directory.CreateDirectory(directory);
        DeleteStaleTemporaries(directory);
        WriteText(Path.Combine(directory, ConfigFile), experiment.Config.ToJson());
        if (experiment.Vocabulary is not null) WriteText(Path.Combine(directory, VocabularyFile), experiment.Vocabulary.ToJson());
        if (experiment.Labels is not null) WriteText(Path.Combine(directory, LabelsFile), experiment.Labels.ToJson());

        trainer.StepCompleted += s => { steps.Add(s); onStep?.Invoke(s); };
        trainer.EpochCompleted += e => { epochs.Add(e); onEpoch?.Invoke(e); };
        string started = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        if (checkpoints is not null)
        {
            var sinceSave = Stopwatch.StartNew();
            long lastSaved = trainer.Step;
            trainer.StepSettled += () =>
            {
                bool bySteps = checkpoints.Steps is long n && trainer.Step - lastSaved >= n;
                bool byTime = checkpoints.Interval is TimeSpan t && sinceSave.Elapsed >= t;
                if (!bySteps && !byTime) return;
                Save(experiment, directory, trainer, steps, epochs, Summary(experiment, trainer, steps, epochs, "running", null, null, started));
                lastSaved = trainer.Step;
                sinceSave.Restart();
            };
        }

        TrainingResult? result = null;
        Exception? failure = null;
        try { result = trainer.Run(cancellationToken); }
        catch (NonFiniteValueException e) { failure = e; }

        string status = failure is not null ? "failed" : result!.Cancelled ? "cancelled" : result.StoppedEarly ? "stopped_early" : "completed";
        string? error = failure?.Message;
        int skipped = steps.Count(s => s.Skipped);
        if (status is "completed" or "stopped_early" && skipped * 2 > steps.Count)
        {
            status = "diverged";
            error = $"{skipped} of {steps.Count} steps were skipped for non-finite values";
        }
        var summary = Summary(experiment, trainer, steps, epochs, status, error, result, started);
        Save(experiment, directory, trainer, steps, epochs, summary);
        if (failure is not null) throw failure;
        return summary;
    }

    // Metrics first, then the checkpoint, then run.json: a process killed in between leaves metrics that reach at least
    // as far as the checkpoint (a resume keeps the rows before its step), never a checkpoint ahead of its metrics.
    private static void Save(Experiment experiment, string directory, Trainer<float> trainer, List<StepMetrics> steps, List<EpochMetrics> epochs, RunSummary summary)
    {
        WriteCsv(Path.Combine(directory, StepsFile), StepsFrame(steps));
        WriteCsv(Path.Combine(directory, EpochsFile), EpochsFrame(epochs, experiment.Task is not RegressionTask<float>));
        trainer.SaveCheckpoint(Path.Combine(directory, CheckpointFile), new Dictionary<string, string> { ["config"] = experiment.Config.ToJson() });
        WriteText(Path.Combine(directory, SummaryFile), JsonSerializer.Serialize(summary, RunConfig.JsonOptions));
    }

    private static RunSummary Summary(Experiment experiment, Trainer<float> trainer, List<StepMetrics> steps, List<EpochMetrics> epochs,
        string status, string? error, TrainingResult? result, string started)
    {
        var lastEpoch = epochs.Count > 0 ? epochs[^1] : null;
        return new RunSummary
        {
            Status = status,
            Error = error,
            Seed = experiment.Config.Seed,
            GitCommit = GitInfo.TryGetCommit(),
            StartedUtc = started,
            Steps = trainer.Step,
            FinalTrainLoss = lastEpoch?.TrainLoss ?? (steps.Count > 0 ? steps[^1].Loss : null),
            FinalValidationLoss = lastEpoch?.Validation?.Loss,
            FinalValidationAccuracy = lastEpoch?.Validation?.Accuracy,
            WallSeconds = result?.WallTime.TotalSeconds ?? (steps.Count > 0 ? steps[^1].Elapsed.TotalSeconds : 0),
            TokensPerSecond = result?.TokensPerSecond ?? (steps.Count > 0 ? steps[^1].TokensPerSecond : 0),
            ProcessorCount = Environment.ProcessorCount,
        };
    }

    // A resume must describe the same model and data as the folder: only the budget (steps, epochs, patience) may
    // change. Returns true when the budget is the same too.
    private static bool RequireSameRun(RunConfig requested, string directory)
    {
        string path = Path.Combine(directory, ConfigFile);
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: missing; the folder has a checkpoint but no configuration.");
        RunConfig stored = Checked(path, () => RunConfig.FromJson(File.ReadAllText(path), path));
        var a = JsonNode.Parse(stored.ToJson())!.AsObject();
        var b = JsonNode.Parse(requested.ToJson())!.AsObject();
        string[] budget = ["steps", "epochs", "patience"];
        var differing = a.Select(p => p.Key).Where(k => !budget.Contains(k) && !JsonNode.DeepEquals(a[k], b[k]))
            .Select(k => $"{k} {a[k]?.ToJsonString() ?? "null"} → {b[k]?.ToJsonString() ?? "null"}").ToList();
        if (differing.Count > 0)
            throw new InvalidDataException($"{path}: the run folder holds a different run ({string.Join(", ", differing)}); resume with its own configuration or train into a new folder.");
        return budget.All(k => JsonNode.DeepEquals(a[k], b[k]));
    }

    // Reading a file of the folder: whatever goes wrong becomes one line naming the file.
    private static TResult Checked<TResult>(string path, Func<TResult> read)
    {
        try { return read(); }
        catch (InvalidDataException e) when (e.Message.Contains(path, StringComparison.Ordinal)) { throw; }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException or ArgumentException or JsonException
                                      or IndexOutOfRangeException or InvalidCastException or OverflowException or KeyNotFoundException
                                      or SafetensorsException or NullReferenceException
                                      // The CSV reader throws a plain Exception for a line it cannot split (found by the fuzz tests).
                                      || e.GetType() == typeof(Exception))
        {
            throw new InvalidDataException($"{path}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static void Checked(string path, Action read) => Checked(path, () => { read(); return 0; });

    // A process killed while writing leaves name.tmp-<guid> behind (AtomicFile); no writer is left to finish it.
    private static void DeleteStaleTemporaries(string directory)
    {
        foreach (string stale in Directory.EnumerateFiles(directory, "*.tmp-*"))
        {
            try { File.Delete(stale); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Reads <c>config.json</c> of a run folder.</summary>
    public static RunConfig ReadConfig(string directory)
    {
        string path = Path.Combine(directory, ConfigFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory} is not a run folder: it has no {ConfigFile}.", path);
        return RunConfig.FromJson(File.ReadAllText(path), path);
    }

    /// <summary>Reads <c>run.json</c> of a run folder.</summary>
    public static RunSummary ReadSummary(string directory)
    {
        string path = Path.Combine(directory, SummaryFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory} is not a finished run folder: it has no {SummaryFile}.", path);
        return JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(path), RunConfig.JsonOptions) ?? throw new InvalidDataException($"{path} is empty.");
    }

    /// <summary>
    /// Rebuilds the experiment of a run folder from its config and loads the checkpoint's parameters into its model
    /// (e.g. to sample from a trained language model).
    /// </summary>
    public static Experiment LoadTrained(string directory)
    {
        var experiment = Experiment.Create(ReadConfig(directory));
        string checkpoint = Path.Combine(directory, CheckpointFile);
        if (!File.Exists(checkpoint)) throw new FileNotFoundException($"{directory} has no {CheckpointFile}.", checkpoint);
        Trainer<float>.LoadParameters(SafetensorsFile.Load(checkpoint), experiment.Model.NamedParameters, checkpoint);
        return experiment;
    }

    /// <summary>
    /// The trained language model of a charlm run folder and the vocabulary it was trained with (its
    /// <c>vocabulary.json</c>, not one rebuilt from a corpus that may have changed since). Errors name the file.
    /// </summary>
    public static (LanguageModel<float> Model, SymbolVocabulary Vocabulary) LoadLanguageModel(string directory)
    {
        RunConfig config = ReadConfig(directory);
        if (config.Task != "charlm") throw new ArgumentException($"{directory} is a '{config.Task}' run; a language model needs a charlm run.");
        string vocabularyPath = Path.Combine(directory, VocabularyFile);
        if (!File.Exists(vocabularyPath)) throw new FileNotFoundException($"{vocabularyPath}: missing; the run folder has no vocabulary.", vocabularyPath);
        SymbolVocabulary vocabulary = Checked(vocabularyPath, () => SymbolVocabulary.FromJson(File.ReadAllText(vocabularyPath)));
        var model = new LanguageModel<float>(vocabulary.Count, Experiment.ModelOptions(config));
        string checkpoint = Path.Combine(directory, CheckpointFile);
        if (!File.Exists(checkpoint)) throw new FileNotFoundException($"{directory} has no {CheckpointFile}.", checkpoint);
        Checked(checkpoint, () => Trainer<float>.LoadParameters(SafetensorsFile.Load(checkpoint), model.NamedParameters, checkpoint));
        return (model, vocabulary);
    }

    /// <summary>The per-step metrics of a run folder as a DataFrame (columns as in steps.csv).</summary>
    public static DataFrame LoadSteps(string directory) => StepsFrame(ReadSteps(directory));

    /// <summary>The per-epoch metrics of a run folder as a DataFrame (columns as in epochs.csv).</summary>
    public static DataFrame LoadEpochs(string directory) => DataFrame.LoadCsv(Path.Combine(directory, EpochsFile),
        dataTypes: [typeof(int), typeof(long), typeof(double), typeof(double), typeof(double), typeof(double), typeof(double), typeof(double)],
        cultureInfo: CultureInfo.InvariantCulture);

    /// <summary>
    /// Every run folder under <paramref name="directory"/> (any depth; a folder holding run.json), one row each:
    /// run (relative path), the main config fields, status, steps, final losses and accuracy, wall time, tokens/s, commit.
    /// Rows are sorted by run path, so merged sweep shards always load the same way.
    /// </summary>
    public static DataFrame LoadRuns(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"No such folder: {directory}");
        var runs = Directory.EnumerateFiles(directory, SummaryFile, SearchOption.AllDirectories)
            .Select(Path.GetDirectoryName).OfType<string>()
            .Where(d => File.Exists(Path.Combine(d, ConfigFile)))
            .Order(StringComparer.Ordinal).ToList();
        var configs = runs.Select(ReadConfig).ToList();
        var summaries = runs.Select(ReadSummary).ToList();
        return new DataFrame(
            new StringDataFrameColumn("run", runs.Select(r => Path.GetRelativePath(directory, r) is var rel && rel == "." ? Path.GetFileName(r) : Path.GetRelativePath(directory, r))),
            new StringDataFrameColumn("task", configs.Select(c => c.Task)),
            new StringDataFrameColumn("model", configs.Select(c => c.Model)),
            new BooleanDataFrameColumn("bidirectional", configs.Select(c => c.Bidirectional)),
            new Int32DataFrameColumn("layers", configs.Select(c => c.Layers)),
            new Int32DataFrameColumn("hidden", configs.Select(c => c.Hidden)),
            new Int32DataFrameColumn("seq_len", configs.Select(c => c.SeqLen)),
            new DoubleDataFrameColumn("learning_rate", configs.Select(c => c.LearningRate)),
            new Int32DataFrameColumn("seed", configs.Select(c => c.Seed)),
            new StringDataFrameColumn("status", summaries.Select(s => s.Status)),
            new Int64DataFrameColumn("steps", summaries.Select(s => s.Steps)),
            new DoubleDataFrameColumn("final_train_loss", summaries.Select(s => s.FinalTrainLoss)),
            new DoubleDataFrameColumn("final_val_loss", summaries.Select(s => s.FinalValidationLoss)),
            new DoubleDataFrameColumn("final_val_accuracy", summaries.Select(s => s.FinalValidationAccuracy)),
            new DoubleDataFrameColumn("wall_seconds", summaries.Select(s => s.WallSeconds)),
            new DoubleDataFrameColumn("tokens_per_second", summaries.Select(s => s.TokensPerSecond)),
            new StringDataFrameColumn("git_commit", summaries.Select(s => s.GitCommit ?? "")));
    }

    private static DataFrame StepsFrame(IReadOnlyList<StepMetrics> steps) => new(
        new Int64DataFrameColumn("step", steps.Select(s => s.Step)),
        new Int32DataFrameColumn("epoch", steps.Select(s => s.Epoch)),
        new DoubleDataFrameColumn("loss", steps.Select(s => s.Loss)),
        new DoubleDataFrameColumn("grad_norm", steps.Select(s => s.GradientNorm)),
        new DoubleDataFrameColumn("learning_rate", steps.Select(s => s.LearningRate)),
        new Int64DataFrameColumn("tokens", steps.Select(s => s.Tokens)),
        new DoubleDataFrameColumn("tokens_per_second", steps.Select(s => s.TokensPerSecond)),
        new DoubleDataFrameColumn("elapsed_seconds", steps.Select(s => s.Elapsed.TotalSeconds)),
        new BooleanDataFrameColumn("skipped", steps.Select(s => s.Skipped)));

    private static DataFrame EpochsFrame(IReadOnlyList<EpochMetrics> epochs, bool crossEntropy) => new(
        new Int32DataFrameColumn("epoch", epochs.Select(e => e.Epoch)),
        new Int64DataFrameColumn("step", epochs.Select(e => e.Step)),
        new DoubleDataFrameColumn("train_loss", epochs.Select(e => e.TrainLoss)),
        new DoubleDataFrameColumn("val_loss", epochs.Select(e => e.Validation?.Loss ?? double.NaN)),
        new DoubleDataFrameColumn("val_accuracy", epochs.Select(e => e.Validation?.Accuracy ?? double.NaN)),
        new DoubleDataFrameColumn("val_perplexity", epochs.Select(e => crossEntropy && e.Validation is not null ? e.Validation.Perplexity : double.NaN)),
        new DoubleDataFrameColumn("val_bits_per_token", epochs.Select(e => crossEntropy && e.Validation is not null ? e.Validation.BitsPerToken : double.NaN)),
        new DoubleDataFrameColumn("elapsed_seconds", epochs.Select(e => e.Elapsed.TotalSeconds)));

    private static List<StepMetrics> ReadSteps(string directory, bool required = false)
    {
        string path = Path.Combine(directory, StepsFile);
        if (!File.Exists(path))
            return required ? throw new FileNotFoundException($"missing; the checkpoint is past step 0, so its metrics should be here.", path) : [];
        var frame = DataFrame.LoadCsv(path,
            dataTypes: [typeof(long), typeof(int), typeof(double), typeof(double), typeof(double), typeof(long), typeof(double), typeof(double), typeof(bool)],
            cultureInfo: CultureInfo.InvariantCulture);
        var list = new List<StepMetrics>();
        foreach (DataFrameRow row in frame.Rows)
            list.Add(new StepMetrics((long)row[0], (int)row[1], (double)row[2], (double)row[3], (double)row[4], (long)row[5], (double)row[6],
                TimeSpan.FromSeconds((double)row[7]), (bool)row[8]));
        return list;
    }

    private static List<EpochMetrics> ReadEpochs(string directory)
    {
        string path = Path.Combine(directory, EpochsFile);
        if (!File.Exists(path)) return [];
        var list = new List<EpochMetrics>();
        foreach (DataFrameRow row in LoadEpochs(directory).Rows)
        {
            double accuracy = (double)row[4];
            list.Add(new EpochMetrics((int)row[0], (long)row[1], (double)row[2],
                double.IsNaN((double)row[3]) ? null : new Evaluation((double)row[3], double.IsNaN(accuracy) ? null : accuracy, 0),
                TimeSpan.FromSeconds((double)row[7])));
        }
        return list;
    }

    private static void WriteCsv(string path, DataFrame frame)
    {
        using var buffer = new MemoryStream();
        DataFrame.SaveCsv(frame, buffer, cultureInfo: CultureInfo.InvariantCulture);
        AtomicFile.WriteAllBytes(path, buffer.ToArray());
    }

    private static void WriteText(string path, string text) => AtomicFile.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text));
}

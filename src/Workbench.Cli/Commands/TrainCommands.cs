using Workbench.CommandLine;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Analysis;
using Spectre.Console;
using Workbench.Checkpoints;
using Workbench.Data;
using Workbench.Models;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary>The training verbs: <c>train</c>, <c>sample</c>, <c>sweep</c>, <c>runs</c>.</summary>
internal static class TrainCommands
{
    /// <summary>Exit code when Ctrl+C stopped a run (after its checkpoint was saved), as shells report SIGINT.</summary>
    public const int Interrupted = 130;

    /// <summary>Exit code when SIGTERM stopped a run (after its checkpoint was saved), as shells report it.</summary>
    public const int Terminated = 143;

    /// <summary>Creates <c>train</c>.</summary>
    public static Command CreateTrain()
    {
        var command = new Command("train", "Train a recurrent model on a shipped task or a corpus; writes a run folder (config, metrics CSV, checkpoint).");
        var task = new Option<string>("--task") { Description = "adding | copy | order | sine | postag | charlm" };
        Usage.OneOf(task, [.. RunConfig.Tasks]);
        var corpus = new Option<string>("--corpus") { Description = "Your data: plain text (charlm), CoNLL word<TAB>tag (postag) or CSV (sine)" };
        var model = new Option<string>("--model") { Description = "rnn | lstm | gru", DefaultValueFactory = _ => "gru" };
        Usage.OneOf(model, "rnn", "lstm", "gru", "rnn-relu");
        var bidirectional = new Option<bool>("--bidirectional") { Description = "Add a reverse direction (not for charlm)" };
        var layers = new Option<int>("--layers") { Description = "Stacked recurrent layers", DefaultValueFactory = _ => 1 };
        var hidden = new Option<int>("--hidden") { Description = "Hidden size", DefaultValueFactory = _ => 64 };
        var embeddingDim = new Option<int>("--embedding-dim") { Description = "Token embedding size", DefaultValueFactory = _ => 32 };
        var seqLen = new Option<int?>("--seq-len") { Description = "Sequence length (adding/order length, copy length, sine window, charlm BPTT chunk)" };
        var steps = new Option<long?>("--steps") { Description = "Step budget" };
        var epochs = new Option<int?>("--epochs") { Description = "Epoch budget (when --steps is not given)" };
        var batchSize = new Option<int>("--batch-size") { Description = "Sequences (or streams) per batch", DefaultValueFactory = _ => 32 };
        var learningRate = new Option<double>("--lr") { Description = "Learning rate", DefaultValueFactory = _ => 0.005 };
        var optimizer = new Option<string>("--optimizer") { Description = "adam | adamw | sgd | rmsprop", DefaultValueFactory = _ => "adam" };
        Usage.OneOf(optimizer, "adam", "adamw", "sgd", "rmsprop");
        var clip = new Option<double?>("--clip") { Description = "Clip the global gradient norm (default 1; 0 = off)" };
        var schedule = new Option<string>("--schedule") { Description = "constant | cosine[:MIN] | step:SIZE:GAMMA, optionally +warmup:N", DefaultValueFactory = _ => "constant" };
        var patience = new Option<int?>("--patience") { Description = "Early stopping after this many evaluations without improvement" };
        var seed = new Option<int>("--seed") { Description = "Seed of data, initialisation and shuffling", DefaultValueFactory = _ => 1 };
        var config = new Option<string>("--config") { Description = "Read the configuration from a config.json (other options are ignored)" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint in --out" };
        var skipNonFinite = new Option<bool>("--skip-nonfinite") { Description = "Skip steps with a NaN/Inf loss or gradient instead of stopping" };
        var checkpointEvery = new Option<string>("--checkpoint-every") { Description = "Also save a checkpoint every N steps, every M minutes (10m) or both (500,10m)" };
        var output = new Option<string>("--out") { Description = "Run folder to write", Required = true };
        foreach (Option option in new Option[] { task, corpus, model, bidirectional, layers, hidden, embeddingDim, seqLen, steps, epochs, batchSize,
                     learningRate, optimizer, clip, schedule, patience, seed, config, resume, skipNonFinite, checkpointEvery, output })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            RunConfig runConfig;
            try
            {
                string? configPath = parse.GetValue(config);
                string stored = Path.Combine(parse.GetValue(output)!, RunFolder.ConfigFile);
                // A resume continues the folder's own run: its config.json says what that is, options need not repeat it.
                if (configPath is null && parse.GetValue(resume) && parse.GetValue(task) is null && File.Exists(stored)) configPath = stored;
                if (configPath is not null)
                {
                    if (!File.Exists(configPath)) return Usage.Error("train", $"config file not found: {configPath}");
                    runConfig = RunConfig.FromJson(File.ReadAllText(configPath), configPath);
                }
                else
                {
                    string? taskName = parse.GetValue(task);
                    if (taskName is null) return Usage.Error("train", "--task is required (or give --config)");
                    double? clipValue = parse.GetValue(clip);
                    runConfig = new RunConfig
                    {
                        Task = taskName,
                        Corpus = parse.GetValue(corpus),
                        Model = parse.GetValue(model)!,
                        Bidirectional = parse.GetValue(bidirectional),
                        Layers = parse.GetValue(layers),
                        Hidden = parse.GetValue(hidden),
                        EmbeddingDim = parse.GetValue(embeddingDim),
                        SeqLen = parse.GetValue(seqLen),
                        Steps = parse.GetValue(steps),
                        Epochs = parse.GetValue(epochs),
                        BatchSize = parse.GetValue(batchSize),
                        LearningRate = parse.GetValue(learningRate),
                        Optimizer = parse.GetValue(optimizer)!,
                        Clip = clipValue is 0 ? null : clipValue ?? 1.0,
                        Schedule = parse.GetValue(schedule)!,
                        Patience = parse.GetValue(patience),
                        Seed = parse.GetValue(seed),
                        SkipNonFinite = parse.GetValue(skipNonFinite),
                    };
                    runConfig.Validate("options", OptionName);
                }
            }
            catch (FormatException e) { return Usage.Error("train", e.Message); }
            CheckpointSchedule? checkpointPlan = null;
            if (parse.GetValue(checkpointEvery) is string every)
            {
                try { checkpointPlan = CheckpointSchedule.Parse(every); }
                catch (FormatException e) { return Usage.Error("train", $"--checkpoint-every: {e.Message}"); }
            }
            return Train(runConfig, parse.GetValue(output)!, parse.GetValue(resume), checkpointPlan);
        });
        return command;
    }

    /// <summary>Builds and trains <paramref name="config"/> into <paramref name="directory"/> with a live progress display.</summary>
    internal static int Train(RunConfig config, string directory, bool resume, CheckpointSchedule? checkpoints = null)
    {
        Experiment experiment;
        try { experiment = Experiment.Create(config); }
        catch (Exception e) when (e is FormatException or FileNotFoundException or DataFormatException or ArgumentException)
        {
            return Usage.Error("train", e.Message);
        }
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        // SIGTERM (kill, a scheduler's time limit, docker stop) saves a checkpoint as Ctrl+C does.
        bool terminated = false;
        using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context => { context.Cancel = true; terminated = true; cancel.Cancel(); });
        try
        {
            var trainerForTotal = experiment.CreateTrainer();
            long total = trainerForTotal.TotalSteps;
            // Announced with the first step, so that a folder refused before training gets its one error line only.
            bool announced = false;
            void Announce()
            {
                if (announced) return;
                announced = true;
                Console.Error.WriteLine($"train: {experiment.Config.Label}, {experiment.Model.ParameterCount:N0} parameters, {total} steps → {directory}");
            }
            RunSummary summary = WithProgress(total, (onStep, onEpoch) =>
                RunFolder.Run(experiment, directory, cancel.Token, s => { Announce(); onStep(s); }, e => { Announce(); onEpoch(e); }, resume, checkpoints));
            string validation = summary.FinalValidationLoss is double v
                ? $", validation loss {v:F4}" + (summary.FinalValidationAccuracy is double a ? $", accuracy {a:P2}" : "")
                : "";
            if (summary.Status == "cancelled")
            {
                Console.Error.WriteLine($"train: {(terminated ? "terminated" : "interrupted")} at step {summary.Steps}; checkpoint saved in {directory} (continue with --resume)");
                return terminated ? Terminated : Interrupted;
            }
            if (summary.Status == "diverged")
            {
                Console.Error.WriteLine($"train: diverged: {summary.Error}; run folder {directory}");
                return 1;
            }
            Console.WriteLine($"train: {summary.Status} after {summary.Steps} steps in {summary.WallSeconds:F1} s ({summary.TokensPerSecond:N0} tokens/s){validation}; run folder {directory}");
            return 0;
        }
        catch (NonFiniteValueException e)
        {
            // The library's advice names its API; on the command line the same choice is a flag.
            Console.Error.WriteLine($"train: {e.Message.Replace("use NonFinitePolicy.SkipStep", "use --skip-nonfinite", StringComparison.Ordinal)}");
            return 1;
        }
        catch (InvalidDataException e)
        {
            return Usage.Error("train", e.Message);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/> with a live Spectre.Console progress bar (step, loss, tokens/s, ETA) when stderr is a
    /// terminal, or with plain lines about every 5 % of the budget otherwise.
    /// </summary>
    internal static T WithProgress<T>(long total, Func<Action<StepMetrics>, Action<EpochMetrics>, T> run)
    {
        bool live = !Console.IsErrorRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!live)
        {
            long every = Math.Max(1, total / 20);
            return run(
                s => { if ((s.Step + 1) % every == 0 || s.Step + 1 == total) Console.WriteLine(StepLine(s, total)); },
                e => Console.WriteLine(EpochLine(e)));
        }
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var bar = context.AddTask("starting", maxValue: Math.Max(1, total));
                result = run(
                    s =>
                    {
                        bar.Value = s.Step + 1;
                        bar.Description = Markup.Escape($"step {s.Step + 1}/{total}  loss {s.Loss:F4}  {s.TokensPerSecond:N0} tok/s");
                    },
                    e => AnsiConsole.MarkupLine(Markup.Escape(EpochLine(e))));
                bar.StopTask();
            });
        return result;
    }

    private static string StepLine(StepMetrics s, long total)
    {
        double eta = s.Step + 1 >= total ? 0 : s.Elapsed.TotalSeconds / (s.Step + 1) * (total - s.Step - 1);
        return string.Create(CultureInfo.InvariantCulture,
            $"step {s.Step + 1}/{total}  loss {s.Loss:F4}  grad {s.GradientNorm:F3}  lr {s.LearningRate:G3}  {s.TokensPerSecond:N0} tok/s  ETA {TimeSpan.FromSeconds(Math.Round(eta)):c}");
    }

    private static string EpochLine(EpochMetrics e)
    {
        string validation = e.Validation is null ? "" : $"  validation loss {e.Validation.Loss:F4}" + (e.Validation.Accuracy is double a ? $"  accuracy {a:P2}" : "");
        return string.Create(CultureInfo.InvariantCulture, $"epoch {e.Epoch} (step {e.Step})  train loss {e.TrainLoss:F4}{validation}");
    }

    // The option a config field comes from, so that errors name what the user typed.
    private static string OptionName(string field) => field switch
    {
        "learning_rate" => "--lr",
        _ => "--" + field.Replace('_', '-'),
    };

    /// <summary>Most characters <c>sample</c> generates in one call.</summary>
    public const int MaxSampleLength = 1_000_000;

    /// <summary>Creates <c>sample</c>.</summary>
    public static Command CreateSample()
    {
        var command = new Command("sample", "Sample text from a trained character-level language model (a charlm run folder).");
        var run = new Option<string>("--run") { Description = "The run folder of a charlm training run", Required = true };
        var prime = new Option<string>("--prime") { Description = "Text to read before sampling", DefaultValueFactory = _ => "\n" };
        var temperature = new Option<double>("--temperature") { Description = "Softmax temperature (0 = most likely character)", DefaultValueFactory = _ => 0.8 };
        var topK = new Option<int?>("--top-k") { Description = "Sample only among the k most likely characters" };
        var count = new Option<int>("-n") { Description = "Characters to generate", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => 0 };
        foreach (Option option in new Option[] { run, prime, temperature, topK, count, seed }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            string directory = parse.GetValue(run)!;
            if (parse.GetValue(count) is < 0 or > MaxSampleLength) return Usage.Error("sample", $"-n must be between 0 and {MaxSampleLength}, got {parse.GetValue(count)}");
            if (parse.GetValue(temperature) < 0) return Usage.Error("sample", "--temperature must be non-negative");
            if (parse.GetValue(topK) is < 1) return Usage.Error("sample", "--top-k must be at least 1");
            try
            {
                var (lm, vocabulary) = RunFolder.LoadLanguageModel(directory);
                string primeText = parse.GetValue(prime)!.Replace("\\n", "\n");
                string text = lm.SampleText(vocabulary, primeText, parse.GetValue(count), parse.GetValue(temperature), parse.GetValue(topK), parse.GetValue(seed));
                Console.Out.Write(primeText);
                Console.Out.WriteLine(text);
                return 0;
            }
            catch (Exception e) when (e is FileNotFoundException or FormatException or InvalidDataException or ArgumentException or SafetensorsException)
            {
                return Usage.Error("sample", e.Message);
            }
        });
        return command;
    }

    /// <summary>Creates <c>sweep</c>.</summary>
    public static Command CreateSweep()
    {
        var command = new Command("sweep", "Run a grid of training configurations (a JSON grid file) in parallel processes; --shard i/n runs every n-th.");
        var grid = new Option<string>("--grid") { Description = "Grid file: {\"base\": {...}, \"grid\": {\"field\": [values]}}", Required = true };
        var shard = new Option<string>("--shard") { Description = "Run shard i of n (1-based), e.g. 2/4 for a job array", DefaultValueFactory = _ => "1/1" };
        var output = new Option<string>("--out") { Description = "Folder for the run folders", Required = true };
        var parallel = new Option<int>("--parallel") { Description = "Processes at once", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        foreach (Option option in new Option[] { grid, shard, output, parallel }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            SweepGrid sweep;
            (int Shard, int Count) part;
            try
            {
                sweep = SweepGrid.Load(parse.GetValue(grid)!);
                part = SweepGrid.ParseShard(parse.GetValue(shard)!);
            }
            catch (Exception e) when (e is FormatException or FileNotFoundException) { return Usage.Error("sweep", e.Message); }
            if (parse.GetValue(parallel) < 1) return Usage.Error("sweep", "--parallel must be at least 1");
            return Sweep(sweep, part, parse.GetValue(output)!, parse.GetValue(parallel));
        });
        return command;
    }

    private static int Sweep(SweepGrid sweep, (int Shard, int Count) part, string directory, int parallel)
    {
        var mine = sweep.Shard(part.Shard, part.Count);
        Console.WriteLine($"sweep: {sweep.Configurations.Count} configurations, shard {part.Shard}/{part.Count} runs {mine.Count}, {parallel} at a time → {directory}");
        var runner = new SweepRunner(TrainProcess, parallel);
        runner.RunFinished += run => Console.WriteLine($"  {run.Name}: {run switch
        {
            { Skipped: true } => "already finished, skipped",
            { ExitCode: 0 } => "done",
            { ExitCode: Interrupted or Terminated } => "stopped, checkpoint saved",
            _ => $"exit code {run.ExitCode} (see train.log)",
        }}");
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        // SIGTERM (a scheduler's requeue, preemption or time limit; a pod being stopped) is passed on to the training
        // processes, and the sweep ends only when they have saved their checkpoints: started again, it resumes them.
        bool terminated = false;
        using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context => { context.Cancel = true; terminated = true; cancel.Cancel(); });
        SweepOutcome outcome;
        try { outcome = runner.Run(mine, directory, cancel.Token); }
        finally { Console.CancelKeyPress -= onCancel; }
        if (outcome.Interrupted)
        {
            Console.Error.WriteLine($"sweep: {(terminated ? "terminated" : "interrupted")}; checkpoints saved, run the same command again to continue");
            return terminated ? Terminated : Interrupted;
        }
        PrintRuns(directory, csv: false);
        return outcome.Failures == 0 ? 0 : 1;
    }

    // Each configuration trains in its own process, `workbench train --config REQUEST --out RUN --resume`.
    private static ProcessStartInfo TrainProcess(string request, string runDirectory)
    {
        var (file, prefix) = SelfCommand();
        var start = new ProcessStartInfo(file);
        foreach (string a in prefix.Concat(["train", "--config", request, "--out", runDirectory, "--resume"])) start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>How to start this program again: the apphost itself, or <c>dotnet workbench.dll</c>.</summary>
    internal static (string File, string[] Prefix) SelfCommand()
    {
        string? processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "workbench") return (processPath, []);
        string dll = typeof(TrainCommands).Assembly.Location;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : "dotnet";
        return (dotnet, [dll]);
    }

    /// <summary>Creates <c>runs</c>.</summary>
    public static Command CreateRuns()
    {
        var command = new Command("runs", "Tabulate the run folders under a folder and their final metrics.");
        var directory = new Argument<string>("DIR") { Description = "A folder holding run folders (any depth), e.g. a sweep's --out" };
        var csv = new Option<bool>("--csv") { Description = "Print CSV instead of a table" };
        command.Arguments.Add(directory);
        command.Options.Add(csv);
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(directory)!;
            if (!Directory.Exists(dir)) return Usage.Error("runs", $"no such folder: {dir}");
            try { return PrintRuns(dir, parse.GetValue(csv)); }
            catch (Exception e) when (e is FormatException or JsonException or InvalidDataException) { return Usage.Error("runs", e.Message); }
        });
        return command;
    }

    private static int PrintRuns(string directory, bool csv)
    {
        DataFrame runs = RunFolder.LoadRuns(directory);
        if (csv)
        {
            using var buffer = new MemoryStream();
            DataFrame.SaveCsv(runs, buffer, cultureInfo: CultureInfo.InvariantCulture);
            Console.Out.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return 0;
        }
        if (runs.Rows.Count == 0)
        {
            Console.WriteLine($"no run folders under {directory}");
            return 0;
        }
        string[] shown = ["run", "task", "model", "bidirectional", "hidden", "layers", "seq_len", "seed", "status", "steps", "final_train_loss", "final_val_loss", "final_val_accuracy", "wall_seconds", "tokens_per_second"];
        string[] headers = ["run", "task", "model", "bi", "hidden", "layers", "T", "seed", "status", "steps", "train_loss", "val_loss", "val_acc", "wall_s", "tok/s"];
        var table = new Table().Border(TableBorder.Simple);
        foreach (string name in headers) table.AddColumn(new TableColumn(name));
        // Not a terminal: no width to respect, so never wrap cells (a log or a pipe reads better with long lines).
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 400);
        foreach (DataFrameRow row in runs.Rows)
            table.AddRow(shown.Select(name => Markup.Escape(Format(row[runs.Columns.IndexOf(name)]))).ToArray());
        AnsiConsole.Write(table);
        return 0;
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d when double.IsNaN(d) => "",
        double d => d.ToString(Math.Abs(d) >= 100 ? "F0" : "F4", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}

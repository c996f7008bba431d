using System.CommandLine;
using System.Globalization;
using Workbench.Data;
using Workbench.Models;
using Workbench.Training;

namespace Workbench.Cli.Commands;

/// <summary>
/// The <c>demo</c> verb, the project's main job: a character-level GRU language model trained for a few hundred
/// steps on the shipped story text, printing the loss as it falls, then a sample. Under a minute on two cores.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("demo", "A short training demo on the shipped text: a character-level GRU language model prints its loss falling, then a sample.");
        var steps = new Option<int>("--steps") { Description = "Training steps", DefaultValueFactory = _ => 200 };
        var hidden = new Option<int>("--hidden") { Description = "GRU hidden size", DefaultValueFactory = _ => 64 };
        var model = new Option<string>("--model") { Description = "rnn | lstm | gru", DefaultValueFactory = _ => "gru" };
        Usage.OneOf(model, "rnn", "lstm", "gru");
        var seed = new Option<int>("--seed") { Description = "Seed", DefaultValueFactory = _ => 1 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature", DefaultValueFactory = _ => 0.6 };
        var output = new Option<string>("--out") { Description = "Also record a run folder here (then: workbench sample --run DIR)" };
        foreach (Option option in new Option[] { steps, hidden, model, seed, temperature, output }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            if (parse.GetValue(steps) < 1) return Usage.Error("demo", "--steps must be at least 1");
            if (parse.GetValue(hidden) < 1) return Usage.Error("demo", "--hidden must be at least 1");
            if (parse.GetValue(temperature) < 0) return Usage.Error("demo", "--temperature must be non-negative");
            return Run(parse.GetValue(steps), parse.GetValue(hidden), parse.GetValue(model)!, parse.GetValue(seed), parse.GetValue(temperature), parse.GetValue(output));
        });
        return command;
    }

    private static int Run(int steps, int hidden, string modelName, int seed, double temperature, string? outDirectory)
    {
        var config = new RunConfig
        {
            Task = "charlm", Model = modelName, Hidden = hidden, EmbeddingDim = 16, SeqLen = 32, BatchSize = 16,
            Steps = steps, LearningRate = 0.01, Clip = 1.0, Seed = seed, EvaluateEvery = Math.Max(1, steps / 2),
        };
        var experiment = Experiment.Create(config);
        var task = (LanguageModelTask<float>)experiment.Task;
        var lm = (LanguageModel<float>)experiment.Model;
        var vocabulary = experiment.Vocabulary!;
        string source = ShippedData.FindDataDirectory() is string dir ? Path.Combine(dir, ShippedData.StoriesPath) : "(generated in memory)";
        var untrained = task.Evaluate(CancellationToken.None)!;

        Console.WriteLine($"workbench demo: a character-level {modelName.ToUpperInvariant()} language model on the project's own story text");
        Console.WriteLine($"  corpus {source}: {ShippedData.StoriesText().Length:N0} characters, {vocabulary.Count} distinct");
        Console.WriteLine($"  model: embedding 16 → {modelName.ToUpperInvariant()} hidden {hidden} → linear {vocabulary.Count}, {lm.ParameterCount:N0} parameters");
        Console.WriteLine($"  training: {steps} steps of {task.BatchSize} streams × {task.ChunkLength} characters (truncated BPTT), Adam lr 0.01, seed {seed}");
        Console.WriteLine(Invariant($"  untrained validation: {untrained.BitsPerToken:F3} bits/char (uniform guessing: {Math.Log2(vocabulary.Count):F3})"));

        int every = Math.Max(1, steps / 10);
        double windowSum = 0;
        int windowCount = 0;
        void OnStep(StepMetrics s)
        {
            windowSum += s.Loss;
            windowCount++;
            if ((s.Step + 1) % every != 0 && s.Step + 1 != steps) return;
            double mean = windowSum / windowCount;
            Console.WriteLine(Invariant($"step {s.Step + 1,5}  loss {mean:F4}  ({mean / Math.Log(2):F3} bits/char)  {s.TokensPerSecond,8:N0} tok/s"));
            windowSum = 0;
            windowCount = 0;
        }
        void OnEpoch(EpochMetrics e)
        {
            if (e.Validation is { } v) Console.WriteLine(Invariant($"           validation {v.BitsPerToken:F3} bits/char, perplexity {v.Perplexity:F2}"));
        }

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        Evaluation? final;
        try
        {
            if (outDirectory is not null)
            {
                RunFolder.Run(experiment, outDirectory, cancel.Token, OnStep, OnEpoch);
                final = task.Evaluate(CancellationToken.None);
            }
            else
            {
                var trainer = experiment.CreateTrainer();
                trainer.StepCompleted += OnStep;
                trainer.EpochCompleted += OnEpoch;
                final = trainer.Run(cancel.Token).FinalValidation ?? task.Evaluate(CancellationToken.None);
            }
        }
        finally { Console.CancelKeyPress -= onCancel; }

        Console.WriteLine(Invariant($"validation: {untrained.BitsPerToken:F3} → {final!.BitsPerToken:F3} bits/char"));
        const string prime = "MARA:\n";
        Console.WriteLine(Invariant($"sample (temperature {temperature}, top-k 10), primed with \"MARA:\\n\":"));
        Console.WriteLine("----");
        Console.WriteLine(prime + lm.SampleText(vocabulary, prime, 400, temperature, topK: 10, seed: seed));
        Console.WriteLine("----");
        if (outDirectory is not null) Console.WriteLine($"run folder: {outDirectory} (try: workbench sample --run {outDirectory} --prime \"OREN:\\n\")");
        return cancel.IsCancellationRequested ? TrainCommands.Interrupted : 0;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Workbench.Checkpoints;
using Workbench.Layers;
using Workbench.Losses;
using Workbench.Numerics;
using Workbench.Optimizers;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Cli.Commands;

/// <summary>
/// The <c>bench</c> verb (issue 7): training-step and inference throughput of the recurrent models on four fixed
/// shapes, in tokens per second, with the GEMM rate reached and the heap bytes allocated per step.
/// </summary>
internal static class BenchCommand
{
    /// <summary>
    /// The CSV header the issue asks for. allocs_per_step holds the heap bytes allocated per step after warm-up, on all
    /// threads (GC.GetTotalAllocatedBytes(precise: true) around the timed repetitions, divided by their steps).
    /// </summary>
    public const string CsvHeader = "model,shape,mode,tokens_per_s,gflops,allocs_per_step";

    /// <summary>Vocabulary of the character-level task the shapes come from.</summary>
    private const int Vocabulary = 65;

    private static readonly string[] AllModels = ["rnn", "gru", "lstm", "bigru"];

    /// <summary>The issue's shapes: embedding E, hidden H, batch B, steps T.</summary>
    internal static readonly IReadOnlyDictionary<string, (int E, int H, int B, int T)> Shapes = new Dictionary<string, (int, int, int, int)>
    {
        ["tiny"] = (16, 32, 1, 50),
        ["small"] = (64, 128, 32, 100),
        ["medium"] = (128, 256, 64, 100),
        ["large"] = (256, 512, 64, 100),
    };

    /// <summary>The issue's reference (best of PyTorch 1.13 and TorchSharp on this kind of machine), tokens/s.</summary>
    private static readonly Dictionary<(string Model, string Mode), double[]> Reference = new()
    {
        [("rnn", "train")] = [9_000, 147_000, 77_000, 28_000],
        [("gru", "train")] = [4_900, 59_000, 38_000, 10_400],
        [("lstm", "train")] = [26_000, 73_000, 26_000, 9_800],
        [("bigru", "train")] = [2_100, 21_600, 14_100, 4_800],
        [("gru", "infer")] = [46_000, 233_000, 119_000, 34_000],
    };

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "Comma-separated models: rnn,gru,lstm,bigru.", DefaultValueFactory = _ => "rnn,gru,lstm,bigru" };
        var shapes = new Option<string>("--shapes") { Description = "Comma-separated shapes: tiny,small,medium,large.", DefaultValueFactory = _ => "tiny,small,medium,large" };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also write the results as CSV (" + CsvHeader + ")." };
        var reps = new Option<int>("--reps") { Description = "Timed repetitions per cell (the median is reported).", DefaultValueFactory = _ => 5 };
        var threads = new Option<int?>("--threads") { Description = "GEMM threads (default: Gemm.ThreadCount, the processor count)." };
        var blas = new Option<string?>("--blas") { Description = "GEMM backend: managed, openblas or auto (default: as WORKBENCH_BLAS, else auto)." };
        var command = new Command("bench", "Benchmark training-step and inference speed of the recurrent models (tokens/s). "
            + "alloc bytes/step (CSV allocs_per_step) counts heap bytes allocated on all threads per step after warm-up (GC.GetTotalAllocatedBytes(precise: true)).");
        command.Options.Add(models);
        command.Options.Add(shapes);
        command.Options.Add(csv);
        command.Options.Add(reps);
        command.Options.Add(threads);
        command.Options.Add(blas);
        command.SetAction(parseResult =>
        {
            try
            {
                string[] modelList = ParseList(parseResult.GetValue(models)!, "--models", AllModels);
                string[] shapeList = ParseList(parseResult.GetValue(shapes)!, "--shapes", [.. Shapes.Keys]);
                int repetitions = parseResult.GetValue(reps);
                if (repetitions < 1) throw new UsageException($"--reps must be at least 1 (got {repetitions}).");
                if (parseResult.GetValue(threads) is { } t)
                {
                    if (t < 1) throw new UsageException($"--threads must be at least 1 (got {t}).");
                    Gemm.ThreadCount = t;
                }
                switch (parseResult.GetValue(blas)?.ToLowerInvariant())
                {
                    case null or "auto": break;
                    case "managed": Gemm.Backend = GemmBackend.Managed; break;
                    case "openblas":
                        if (!Gemm.IsOpenBlasAvailable) throw new UsageException("--blas openblas: OpenBLAS was not found (Debian: apt-get install libopenblas0-pthread).");
                        Gemm.Backend = GemmBackend.OpenBlas;
                        break;
                    case var other: throw new UsageException($"--blas must be managed, openblas or auto (got '{other}').");
                }
                return Run(modelList, shapeList, repetitions, parseResult.GetValue(csv), Console.Out);
            }
            catch (UsageException error)
            {
                Console.Error.WriteLine($"workbench bench: {error.Message}");
                return Program.UsageError;
            }
        });
        return command;
    }

    /// <summary>Runs every requested cell, prints a Markdown table and optionally writes the CSV; returns the exit code.</summary>
    internal static int Run(IReadOnlyList<string> models, IReadOnlyList<string> shapes, int repetitions, FileInfo? csvFile, TextWriter output)
    {
        double peak = MeasureGemmPeak();
        output.WriteLine($"GEMM: {Gemm.Description}; float 1024³ peak ≈ {peak:F0} GFLOP/s");
        output.WriteLine();
        output.WriteLine("| model | shape | mode | tokens/s | GFLOP/s | % GEMM peak | time in GEMM | GEMM GFLOP/s | alloc bytes/step (all threads, after warm-up) | issue reference tokens/s | ratio |");
        output.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        PrewarmJit(models);
        var rows = new List<Result>();
        foreach (string shape in shapes)
        {
            var cells = new List<(string Model, string Mode)>();
            foreach (string model in models) cells.Add((model, "train"));
            if (models.Contains("gru")) cells.Add(("gru", "infer"));
            foreach (var (model, mode) in cells)
            {
                Result result = Measure(model, shape, mode, repetitions);
                rows.Add(result);
                double reference = Reference[(model, mode)][Array.IndexOf([.. Shapes.Keys], shape)];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {model} | {shape} | {mode} | {result.TokensPerSecond:N0} | {result.GigaFlops:F1} | {100 * result.GigaFlops / peak:F0}% | {100 * result.GemmShare:F0}% | {result.GemmGigaFlops:F0} | {result.AllocatedBytesPerStep:N0} | {reference:N0} | {result.TokensPerSecond / reference:F2}× |"));
                output.Flush();
            }
        }
        if (csvFile is not null)
        {
            var text = new StringBuilder(CsvHeader).Append('\n');
            foreach (Result r in rows)
                text.Append(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Model},{r.Shape},{r.Mode},{r.TokensPerSecond:F1},{r.GigaFlops:F3},{r.AllocatedBytesPerStep}\n"));
            AtomicFile.WriteAllBytes(csvFile.FullName, Encoding.UTF8.GetBytes(text.ToString()));
        }
        return 0;
    }

    /// <summary>One cell of the table; the GEMM share and rate come from one extra, separately timed repetition.</summary>
    internal sealed record Result(string Model, string Shape, string Mode, double TokensPerSecond, double GigaFlops, long AllocatedBytesPerStep,
        double GemmShare, double GemmGigaFlops);

    /// <summary>Warm-up, then <paramref name="repetitions"/> timed runs of a calibrated number of steps; medians.</summary>
    internal static Result Measure(string model, string shape, string mode, int repetitions)
    {
        var (e, h, b, t) = Shapes[shape];
        var bench = new ModelStep(model, e, h, b, t, seed: 1234);
        Action step = mode == "train" ? bench.TrainStep : bench.InferStep;
        double flops = mode == "train" ? bench.TrainFlops : bench.InferFlops;

        // Warm-up: JIT tiers, workspaces and optimizer state settle; also calibrates steps per repetition (≈0.2 s).
        var clock = Stopwatch.StartNew();
        int warm = 0;
        while (warm < 3 || clock.Elapsed.TotalSeconds < 0.5) { step(); warm++; }
        double secondsPerStep = clock.Elapsed.TotalSeconds / warm;
        int stepsPerRep = (int)Math.Clamp(0.2 / secondsPerStep, 1, 10_000);

        var seconds = new double[repetitions];
        long allocated = 0;
        for (int rep = 0; rep < repetitions; rep++)
        {
            // All threads (GEMM workers too), counted precisely; outside the timed interval.
            long before = GC.GetTotalAllocatedBytes(precise: true);
            clock.Restart();
            for (int s = 0; s < stepsPerRep; s++) step();
            seconds[rep] = clock.Elapsed.TotalSeconds / stepsPerRep;
            allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        Array.Sort(seconds);
        double median = repetitions % 2 == 1 ? seconds[repetitions / 2] : 0.5 * (seconds[repetitions / 2 - 1] + seconds[repetitions / 2]);

        // Where the time goes: one more repetition with the GEMM counters on (kept out of the medians above).
        Gemm.ResetStatistics();
        Gemm.CollectStatistics = true;
        clock.Restart();
        try
        {
            for (int s = 0; s < stepsPerRep; s++) step();
        }
        finally
        {
            Gemm.CollectStatistics = false;
        }
        double profiled = clock.Elapsed.TotalSeconds;
        GemmStatistics gemm = Gemm.Statistics;
        return new Result(model, shape, mode, bench.Tokens / median, flops / median / 1e9, allocated / ((long)repetitions * stepsPerRep),
            gemm.Seconds / profiled, gemm.GigaFlops);
    }

    /// <summary>
    /// Runs every model's code paths on the tiny shape first and gives the runtime's background compiler time to
    /// finish: otherwise the first cells run partly unoptimized (tiered) code and look slower than later ones.
    /// </summary>
    private static void PrewarmJit(IReadOnlyList<string> models)
    {
        var (e, h, b, t) = Shapes["tiny"];
        foreach (string model in models)
        {
            var bench = new ModelStep(model, e, h, b, t, seed: 1);
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 60 || clock.Elapsed.TotalSeconds < 0.2; i++) { bench.TrainStep(); bench.InferStep(); }
        }
        Thread.Sleep(300);
    }

    /// <summary>Best float GEMM rate over a few 1024³ products: the yardstick for "% of peak".</summary>
    private static double MeasureGemmPeak()
    {
        const int size = 1024;
        var a = new float[size * size];
        var b = new float[size * size];
        var c = new float[size * size];
        var random = new Random(7);
        for (int i = 0; i < a.Length; i++) { a[i] = random.NextSingle(); b[i] = random.NextSingle(); }
        double best = 0;
        for (int rep = 0; rep < 12; rep++)
        {
            long start = Stopwatch.GetTimestamp();
            Gemm.Multiply(false, false, size, size, size, 1f, a, size, b, size, 0f, c, size);
            best = Math.Max(best, 2.0 * size * size * size / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9);
        }
        return best;
    }

    private static string[] ParseList(string text, string option, IReadOnlyCollection<string> allowed)
    {
        string[] items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant()).Distinct().ToArray();
        if (items.Length == 0) throw new UsageException($"{option} is empty (choose from {string.Join(",", allowed)}).");
        foreach (string item in items)
            if (!allowed.Contains(item)) throw new UsageException($"{option}: unknown '{item}' (choose from {string.Join(",", allowed)}).");
        return items;
    }

    private sealed class UsageException(string message) : Exception(message);

    /// <summary>
    /// The benchmarked model: embedding (65 → E), the recurrent layer, a Linear head at every step, softmax
    /// cross-entropy, backward through all of it and an Adam step — in float, on random tokens.
    /// </summary>
    /// <remarks>
    /// Every layer runs with ReuseOutputs and the loss writes into a kept gradient buffer, so that a step allocates
    /// nothing once warmed up (BenchCommandTests checks it).
    /// </remarks>
    internal sealed class ModelStep
    {
        private readonly Embedding<float> embedding;
        private readonly RecurrentLayer<float> recurrent;
        private readonly Linear<float> head;
        private readonly Adam<float> optimizer;
        private readonly int[] ids, targets, idsShape;
        private readonly NdArray<float> inferenceInput, lossGradient;
        // Reshaped views of the layers' reused outputs, remade only when a layer hands back a different array.
        private NdArray<float>? layerOutput, layerOutputRows, headGradient, headGradientSteps;
        private readonly int steps, batch, width;

        public ModelStep(string model, int e, int h, int b, int t, int seed)
        {
            var random = new Random(seed);
            (steps, batch) = (t, b);
            RecurrentKind kind = model switch { "rnn" => RecurrentKind.RnnTanh, "lstm" => RecurrentKind.Lstm, _ => RecurrentKind.Gru };
            var options = new RecurrentLayerOptions(kind, e, h) { Bidirectional = model == "bigru", Seed = seed, ReuseOutputs = true };
            recurrent = new RecurrentLayer<float>(options);
            width = recurrent.OutputSize;
            embedding = new Embedding<float>(Vocabulary, e, random) { ReuseOutputs = true };
            head = new Linear<float>(width, Vocabulary, random) { ReuseOutputs = true };
            optimizer = new Adam<float>([.. embedding.Parameters, .. recurrent.Parameters, .. head.Parameters], learningRate: 1e-3);
            ids = new int[t * b];
            targets = new int[t * b];
            for (int i = 0; i < ids.Length; i++) { ids[i] = random.Next(Vocabulary); targets[i] = random.Next(Vocabulary); }
            idsShape = [t, b];
            inferenceInput = embedding.Forward(ids, idsShape).Clone();
            lossGradient = NdArray<float>.Zeros(t * b, Vocabulary);

            // Multiply-adds ×2: the layer's input and recurrent products, then the head; backward costs twice forward.
            int gates = options.GateCount, directions = options.NumDirections;
            double layerForward = 2.0 * t * b * gates * h * directions * (e + h);
            double headForward = 2.0 * t * b * width * Vocabulary;
            InferFlops = layerForward;
            TrainFlops = 3 * (layerForward + headForward);
        }

        public int Tokens => steps * batch;

        public double TrainFlops { get; }

        public double InferFlops { get; }

        public void TrainStep()
        {
            NdArray<float> x = embedding.Forward(ids, idsShape);
            RecurrentOutput<float> output = recurrent.Forward(x);
            if (!ReferenceEquals(output.Output, layerOutput))
                (layerOutput, layerOutputRows) = (output.Output, output.Output.Reshape(steps * batch, width));
            NdArray<float> logits = head.Forward(layerOutputRows!);
            CrossEntropyLoss.Compute(logits, targets, lossGradient, out _);
            NdArray<float> gradFeatures = head.Backward(lossGradient);
            if (!ReferenceEquals(gradFeatures, headGradient))
                (headGradient, headGradientSteps) = (gradFeatures, gradFeatures.Reshape(steps, batch, width));
            RecurrentGradients<float> grads = recurrent.Backward(headGradientSteps!);
            embedding.Backward(grads.Input);
            optimizer.Step();
            optimizer.ZeroGrad();
        }

        public void InferStep() => recurrent.Forward(inferenceInput);
    }
}

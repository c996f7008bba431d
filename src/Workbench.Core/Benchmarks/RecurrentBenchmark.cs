using System.Diagnostics;
using System.Globalization;
using System.Text;
using Workbench.IO;
using Workbench.Numerics;

namespace Workbench.Benchmarks;

/// <summary>
/// The speed benchmark behind <c>workbench bench</c>: training-step and inference throughput of the recurrent models
/// on four fixed shapes, in tokens per second, with the GEMM rate reached and the heap bytes allocated per step.
/// </summary>
/// <remarks>
/// The protocol, per cell: a warm-up until the step time has settled (<see cref="WarmUp"/>: the JIT's final tiers are in,
/// whatever ran before in the process), which also calibrates how many steps make a ≈0.2 s repetition, the timed
/// repetitions (medians reported), and one extra repetition with the GEMM counters on, kept out of the medians.
/// </remarks>
public static class RecurrentBenchmark
{
    /// <summary>
    /// The CSV header. allocs_per_step holds the heap bytes allocated per step after warm-up, on all threads
    /// (GC.GetTotalAllocatedBytes(precise: true) around the timed repetitions, divided by their steps); gemm_peak_gflops
    /// the float 1024³ GEMM rate measured at the start of the same run; settled is 1 when the cell's warm-up met its
    /// stopping rule (<see cref="WarmUp"/>), 0 when it ran out of time.
    /// </summary>
    public const string CsvHeader = "model,shape,mode,tokens_per_s,gflops,allocs_per_step,gemm_peak_gflops,settled";

    /// <summary>The benchmarked models, in table order.</summary>
    public static IReadOnlyList<string> Models { get; } = ["rnn", "gru", "lstm", "bigru"];

    /// <summary>
    /// The shapes: embedding E, hidden H, batch B, steps T, from one sequence to a large batch of long ones; the same
    /// shapes the PyTorch comparison (scripts/bench) runs.
    /// </summary>
    public static IReadOnlyDictionary<string, (int E, int H, int B, int T)> Shapes { get; } = new Dictionary<string, (int, int, int, int)>
    {
        ["tiny"] = (16, 32, 1, 50),
        ["small"] = (64, 128, 32, 100),
        ["medium"] = (128, 256, 64, 100),
        ["large"] = (256, 512, 64, 100),
    };

    /// <summary>
    /// The target the benchmark was set against: the best of PyTorch 1.13 and TorchSharp measured on this kind of
    /// machine, tokens/s, per shape in <see cref="Shapes"/> order. Inference targets exist for the GRU only; the other
    /// cells show none (<see cref="TryReference"/>).
    /// </summary>
    private static readonly Dictionary<(string Model, string Mode), double[]> Reference = new()
    {
        [("rnn", "train")] = [9_000, 147_000, 77_000, 28_000],
        [("gru", "train")] = [4_900, 59_000, 38_000, 10_400],
        [("lstm", "train")] = [26_000, 73_000, 26_000, 9_800],
        [("bigru", "train")] = [2_100, 21_600, 14_100, 4_800],
        [("gru", "infer")] = [46_000, 233_000, 119_000, 34_000],
    };

    /// <summary>
    /// The reference tokens/s of a cell, or null when there is none: a spelled-out shape, or a model and mode without a
    /// target (inference of all but the GRU).
    /// </summary>
    public static double? TryReference(string model, string shape, string mode)
    {
        int named = Array.IndexOf([.. Shapes.Keys], shape);
        return named >= 0 && Reference.TryGetValue((model, mode), out double[]? targets) ? targets[named] : null;
    }

    /// <summary>
    /// A shape by name (<see cref="Shapes"/>) or spelled out as E×H×B×T with an x, e.g. 64x256x16x400 (the scaling runs);
    /// false when <paramref name="text"/> is neither.
    /// </summary>
    public static bool TryParseShape(string text, out (int E, int H, int B, int T) shape)
    {
        if (Shapes.TryGetValue(text, out shape)) return true;
        string[] parts = text.Split('x');
        var sizes = new int[4];
        if (parts.Length != 4) return false;
        for (int i = 0; i < 4; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1 || sizes[i] > 100_000) return false;
        shape = (sizes[0], sizes[1], sizes[2], sizes[3]);
        return true;
    }

    /// <summary>The modes: a training step, and inference (the recurrent layer's forward pass over the batch).</summary>
    public static IReadOnlyList<string> Modes { get; } = ["train", "infer"];

    /// <summary>
    /// The cells of a run in table order: per shape, each model in training, then each model in inference — restricted to
    /// <paramref name="modes"/>.
    /// </summary>
    public static IReadOnlyList<(string Model, string Shape, string Mode)> Cells(IReadOnlyList<string> models, IReadOnlyList<string> shapes, IReadOnlyList<string> modes)
    {
        var cells = new List<(string, string, string)>();
        foreach (string shape in shapes)
        {
            if (modes.Contains("train"))
                foreach (string model in models) cells.Add((model, shape, "train"));
            if (modes.Contains("infer"))
                foreach (string model in models) cells.Add((model, shape, "infer"));
        }
        return cells;
    }

    /// <summary>
    /// Runs every requested cell (each model in training and in inference), prints a Markdown table to
    /// <paramref name="output"/> as the cells finish and, when <paramref name="csvPath"/> is given, writes the CSV atomically.
    /// Each cell is warmed up by <paramref name="warmUp"/> (default: <see cref="WarmUp"/>'s settings) on its own.
    /// </summary>
    public static IReadOnlyList<BenchmarkResult> Run(IReadOnlyList<string> models, IReadOnlyList<string> shapes, IReadOnlyList<string> modes, int repetitions,
        string? csvPath, TextWriter output, Func<WarmUp>? warmUp = null)
    {
        double peak = MeasureGemmPeak();
        output.WriteLine($"GEMM: {Gemm.Description}; float 1024³ peak ≈ {peak:F0} GFLOP/s");
        output.WriteLine();
        output.WriteLine("| model | shape | mode | tokens/s | GFLOP/s | % GEMM peak | time in GEMM | GEMM GFLOP/s | alloc bytes/step (all threads, after warm-up) | warm-up | issue reference tokens/s | ratio |");
        output.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        var rows = new List<BenchmarkResult>();
        foreach (var (model, shape, mode) in Cells(models, shapes, modes))
        {
            BenchmarkResult result = Measure(model, shape, mode, repetitions, warmUp?.Invoke() ?? new WarmUp());
            rows.Add(result);
            double? target = TryReference(model, shape, mode);
            string reference = target is double r ? r.ToString("N0", CultureInfo.InvariantCulture) : "–";
            string ratio = target is double t ? (result.TokensPerSecond / t).ToString("F2", CultureInfo.InvariantCulture) + "×" : "–";
            WarmUpResult w = result.WarmUp;
            string settled = string.Create(CultureInfo.InvariantCulture, $"{w.Seconds:F1} s, {w.Calls:N0} calls{(w.Settled ? "" : ", NOT SETTLED")}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {model} | {shape} | {mode} | {result.TokensPerSecond:N0} | {result.GigaFlops:F1} | {100 * result.GigaFlops / peak:F0}% | {100 * result.GemmShare:F0}% | {result.GemmGigaFlops:F0} | {result.AllocatedBytesPerStep:N0} | {settled} | {reference} | {ratio} |"));
            output.Flush();
        }
        if (csvPath is not null)
        {
            var text = new StringBuilder(CsvHeader).Append('\n');
            foreach (BenchmarkResult r in rows)
                text.Append(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Model},{r.Shape},{r.Mode},{r.TokensPerSecond:F1},{r.GigaFlops:F3},{r.AllocatedBytesPerStep},{peak:F1},{(r.WarmUp.Settled ? 1 : 0)}\n"));
            AtomicFile.WriteAllBytes(csvPath, Encoding.UTF8.GetBytes(text.ToString()));
        }
        return rows;
    }

    /// <summary>
    /// <paramref name="warmUp"/> until the step time has settled, then <paramref name="repetitions"/> timed runs of a
    /// calibrated number of steps (≈0.2 s each); medians.
    /// </summary>
    public static BenchmarkResult Measure(string model, string shape, string mode, int repetitions, WarmUp warmUp)
    {
        ArgumentNullException.ThrowIfNull(warmUp);
        if (!TryParseShape(shape, out var size)) throw new ArgumentException($"unknown shape '{shape}' (a name or E×H×B×T such as 64x128x32x100)", nameof(shape));
        var (e, h, b, t) = size;
        var bench = new BenchmarkStep(model, e, h, b, t, seed: 1234);
        Action step = mode == "train" ? bench.TrainStep : bench.InferStep;
        double flops = mode == "train" ? bench.TrainFlops : bench.InferFlops;

        // Warm-up: JIT tiers, workspaces and optimizer state settle; its settled step time calibrates the repetitions.
        WarmUpResult warm = warmUp.Run(step);
        int stepsPerRep = (int)Math.Clamp(0.2 / warm.SecondsPerCall, 1, 10_000);

        var clock = new Stopwatch();
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
        return new BenchmarkResult(model, shape, mode, bench.Tokens / median, flops / median / 1e9, allocated / ((long)repetitions * stepsPerRep),
            gemm.Seconds / profiled, gemm.GigaFlops, warm);
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
}

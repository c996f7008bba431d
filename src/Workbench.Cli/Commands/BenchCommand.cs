using Workbench.CommandLine;
using System.CommandLine;
using Workbench.Benchmarks;
using Workbench.Numerics;

namespace Workbench.Cli.Commands;

/// <summary>
/// The <c>bench</c> verb: parses the cells to run and the GEMM settings, then runs <see cref="RecurrentBenchmark"/>,
/// which prints the table as the cells finish.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "Comma-separated models: rnn,gru,lstm,bigru.", DefaultValueFactory = _ => "rnn,gru,lstm,bigru" };
        var shapes = new Option<string>("--shapes") { Description = "Comma-separated shapes: tiny,small,medium,large, or E×H×B×T spelled with x (e.g. 64x256x16x400).", DefaultValueFactory = _ => "tiny,small,medium,large" };
        var modes = new Option<string>("--modes") { Description = "Comma-separated modes: train,infer (inference: the recurrent layer's forward pass, every model).", DefaultValueFactory = _ => "train,infer" };
        var maxWarmUp = new Option<double>("--max-warmup") { Description = "Seconds a cell may warm up before it is measured anyway (and marked NOT SETTLED).", DefaultValueFactory = _ => new WarmUp().MaximumSeconds };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also write the results as CSV (" + RecurrentBenchmark.CsvHeader + ")." };
        var reps = new Option<int>("--reps") { Description = "Timed repetitions per cell (the median is reported).", DefaultValueFactory = _ => 5 };
        var threads = new Option<int?>("--threads") { Description = "GEMM threads (default: Gemm.ThreadCount, the processor count)." };
        var blas = new Option<string?>("--blas") { Description = "GEMM backend: managed, openblas or auto (default: as WORKBENCH_BLAS, else auto)." };
        var gemm = new Option<bool>("--gemm") { Description = "Instead of the models: float GEMM GFLOP/s on 1 thread and on --threads (default 2 or more), and the speed-up, "
            + "for square and recurrent-layer products (managed; OpenBLAS too with --blas openblas)." };
        var gemmFilter = new Option<string?>("--gemm-filter") { Description = "With --gemm: only the shapes whose name contains this text (e.g. 'square', 'B64')." };
        var command = new Command("bench", "Benchmark training-step and inference speed of the recurrent models (tokens/s). "
            + "alloc bytes/step (CSV allocs_per_step) counts heap bytes allocated on all threads per step after warm-up (GC.GetTotalAllocatedBytes(precise: true)).");
        command.Options.Add(models);
        command.Options.Add(shapes);
        command.Options.Add(modes);
        command.Options.Add(maxWarmUp);
        command.Options.Add(csv);
        command.Options.Add(reps);
        command.Options.Add(threads);
        command.Options.Add(blas);
        command.Options.Add(gemm);
        command.Options.Add(gemmFilter);
        command.SetAction(parseResult =>
        {
            if (ParseList(parseResult.GetValue(models)!, "--models", [.. RecurrentBenchmark.Models], out string[] modelList) is { } badModels)
                return Usage.Error("bench", badModels);
            if (ParseList(parseResult.GetValue(shapes)!, "--shapes", [.. RecurrentBenchmark.Shapes.Keys], out string[] shapeList, s => RecurrentBenchmark.TryParseShape(s, out _)) is { } badShapes)
                return Usage.Error("bench", badShapes);
            if (ParseList(parseResult.GetValue(modes)!, "--modes", [.. RecurrentBenchmark.Modes], out string[] modeList) is { } badModes)
                return Usage.Error("bench", badModes);
            double warmUpLimit = parseResult.GetValue(maxWarmUp);
            if (!(warmUpLimit > 0)) return Usage.Error("bench", $"--max-warmup must be a positive number of seconds (got {warmUpLimit}).");
            if (RecurrentBenchmark.Cells(modelList, shapeList, modeList).Count == 0)
                return Usage.Error("bench", "no cell selected (--models, --shapes and --modes each need at least one entry).");
            int repetitions = parseResult.GetValue(reps);
            if (repetitions < 1) return Usage.Error("bench", $"--reps must be at least 1 (got {repetitions}).");
            if (parseResult.GetValue(threads) is { } t)
            {
                if (t < 1) return Usage.Error("bench", $"--threads must be at least 1 (got {t}).");
                Gemm.ThreadCount = t;
            }
            switch (parseResult.GetValue(blas)?.ToLowerInvariant())
            {
                case null or "auto": break;
                case "managed": Gemm.Backend = GemmBackend.Managed; break;
                case "openblas":
                    if (!Gemm.IsOpenBlasAvailable) return Usage.Error("bench", "--blas openblas: OpenBLAS was not found (Debian: apt-get install libopenblas0-pthread).");
                    Gemm.Backend = GemmBackend.OpenBlas;
                    break;
                case var other: return Usage.Error("bench", $"--blas must be managed, openblas or auto (got '{other}').");
            }
            if (parseResult.GetValue(gemm))
                return RunGemm(parseResult.GetValue(threads), repetitions, parseResult.GetValue(blas), parseResult.GetValue(gemmFilter), parseResult.GetValue(csv));
            RecurrentBenchmark.Run(modelList, shapeList, modeList, repetitions, parseResult.GetValue(csv)?.FullName, Console.Out,
                () => new WarmUp { MaximumSeconds = warmUpLimit, Trace = Environment.GetEnvironmentVariable("WORKBENCH_WARMUP_TRACE") == "1" ? Console.Error : null });
            return 0;
        });
        return command;
    }

    private static int RunGemm(int? threads, int repetitions, string? blas, string? filter, FileInfo? csv)
    {
        int many = threads ?? Math.Max(2, Environment.ProcessorCount);
        if (many < 2) return Usage.Error("bench", $"--gemm compares 1 thread with --threads, which must then be at least 2 (got {many}).");
        var shapes = GemmBenchmark.DefaultShapes().Where(s => filter is null || s.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
        if (shapes.Count == 0) return Usage.Error("bench", $"--gemm-filter '{filter}' matches no shape.");
        var results = GemmBenchmark.Run(shapes, many, repetitions, string.Equals(blas, "openblas", StringComparison.OrdinalIgnoreCase), Console.Out);
        if (csv is not null) File.WriteAllText(csv.FullName, GemmBenchmark.ToCsv(results));
        return 0;
    }

    /// <summary>Splits a comma-separated list; returns what is wrong with it, or null.</summary>
    private static string? ParseList(string text, string option, IReadOnlyCollection<string> allowed, out string[] items, Func<string, bool>? alsoAllowed = null)
    {
        items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant()).Distinct().ToArray();
        if (items.Length == 0) return $"{option} is empty (choose from {string.Join(",", allowed)}).";
        foreach (string item in items)
            if (!allowed.Contains(item) && alsoAllowed?.Invoke(item) != true) return $"{option}: unknown '{item}' (choose from {string.Join(",", allowed)}).";
        return null;
    }
}

namespace Workbench.Benchmarks;

/// <summary>
/// One cell of the benchmark table: median tokens/s and GFLOP/s over the timed repetitions, heap bytes allocated per
/// step on all threads, and where the time went (the GEMM share and rate come from one extra, separately timed repetition).
/// </summary>
/// <param name="Model">rnn, gru, lstm or bigru.</param>
/// <param name="Shape">tiny, small, medium or large (<see cref="RecurrentBenchmark.Shapes"/>).</param>
/// <param name="Mode">train or infer.</param>
/// <param name="TokensPerSecond">Tokens (time steps × batch) per second, from the median repetition.</param>
/// <param name="GigaFlops">The model's floating-point work per second, in GFLOP/s.</param>
/// <param name="AllocatedBytesPerStep">Heap bytes allocated per step after warm-up, on all threads.</param>
/// <param name="GemmShare">The fraction of the profiled repetition spent in GEMM.</param>
/// <param name="GemmGigaFlops">The rate GEMM reached during the profiled repetition.</param>
/// <param name="WarmUp">How the cell's warm-up ended.</param>
public sealed record BenchmarkResult(string Model, string Shape, string Mode, double TokensPerSecond, double GigaFlops, long AllocatedBytesPerStep,
    double GemmShare, double GemmGigaFlops, WarmUpResult WarmUp);

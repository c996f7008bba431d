using System.Diagnostics;
using Workbench.Numerics;

namespace Workbench.Benchmarks;

/// <summary>
/// The GEMM benchmark behind <c>workbench bench --gemm</c>: float GEMM rates on one thread and on several, and the
/// speed-up, for square products and for the products of a recurrent layer's step (forward, and the two gradients).
/// </summary>
/// <remarks>
/// One-thread and multi-thread timings alternate within every repetition, so that a neighbour's load on a shared
/// machine hits both about equally; the reported rates are medians over repetitions and the speed-up is the median of
/// the per-repetition ratios, with its smallest and largest value as the spread.
/// </remarks>
public static class GemmBenchmark
{
    /// <summary>The CSV header.</summary>
    public const string CsvHeader = "shape,backend,m,n,k,gflops_1,gflops_n,threads,speedup,speedup_min,speedup_max";

    /// <summary>One product shape: C (m×n) ← op(A)·op(B) with inner dimension k.</summary>
    public sealed record Shape(string Name, bool TransposeA, bool TransposeB, int M, int N, int K);

    /// <summary>One row of the table.</summary>
    public sealed record Result(Shape Shape, string Backend, int Threads, double GigaFlopsOne, double GigaFlopsMany,
        double SpeedUp, double SpeedUpMin, double SpeedUpMax);

    /// <summary>The default shapes: squares, then a recurrent layer's products for batch B and hidden H (four gates: 4H columns).</summary>
    public static IReadOnlyList<Shape> DefaultShapes()
    {
        var shapes = new List<Shape>
        {
            new("square 512", false, false, 512, 512, 512),
            new("square 1024", false, false, 1024, 1024, 1024),
            new("square 2048", false, false, 2048, 2048, 2048),
        };
        foreach ((int batch, int hidden) in new[] { (32, 256), (64, 512), (128, 512), (64, 1024), (128, 1024) })
        {
            string name = $"B{batch} H{hidden}";
            // Forward: gates (B×4H) ← h (B×H) · Wᵀ, W stored 4H×H.
            shapes.Add(new($"{name} forward h·Wᵀ", false, true, batch, 4 * hidden, hidden));
            // Weight gradient: dW (4H×H) ← dGatesᵀ (4H×B) · h (B×H).
            shapes.Add(new($"{name} dW = dGᵀ·h", true, false, 4 * hidden, hidden, batch));
            // Input gradient: dh (B×H) ← dGates (B×4H) · W (4H×H).
            shapes.Add(new($"{name} dh = dG·W", false, false, batch, hidden, 4 * hidden));
        }
        return shapes;
    }

    /// <summary>
    /// Times every shape on 1 thread and on <paramref name="threads"/>, on the managed backend and, when
    /// <paramref name="withOpenBlas"/> and it is installed, on OpenBLAS; prints a Markdown table row per result.
    /// </summary>
    public static IReadOnlyList<Result> Run(IReadOnlyList<Shape> shapes, int threads, int repetitions, bool withOpenBlas, TextWriter output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var backends = new List<GemmBackend> { GemmBackend.Managed };
        if (withOpenBlas && Gemm.IsOpenBlasAvailable) backends.Add(GemmBackend.OpenBlas);
        output.WriteLine($"GEMM benchmark: float, managed {ManagedGemm.BestKernel} kernel{(backends.Count > 1 ? " and OpenBLAS" : "")}, "
            + $"1 vs {threads} threads, {repetitions} interleaved repetitions (medians; speed-up = median of per-repetition ratios [min–max])");
        output.WriteLine($"| shape | backend | m×n×k | GFLOP/s 1 thread | GFLOP/s {threads} threads | speed-up [min–max] |");
        output.WriteLine("|---|---|---|---:|---:|---|");
        var results = new List<Result>();
        foreach (Shape shape in shapes)
            foreach (GemmBackend backend in backends)
            {
                Result result = Measure(shape, backend, threads, repetitions);
                results.Add(result);
                output.WriteLine($"| {shape.Name} | {result.Backend} | {shape.M}×{shape.N}×{shape.K} | {result.GigaFlopsOne:F1} | {result.GigaFlopsMany:F1} | "
                    + $"{result.SpeedUp:F2}× [{result.SpeedUpMin:F2}–{result.SpeedUpMax:F2}] |");
            }
        return results;
    }

    /// <summary>Writes <paramref name="results"/> as CSV (<see cref="CsvHeader"/>).</summary>
    public static string ToCsv(IEnumerable<Result> results)
    {
        var lines = new List<string> { CsvHeader };
        foreach (Result r in results)
            lines.Add(string.Join(",", $"\"{r.Shape.Name}\"", r.Backend, r.Shape.M, r.Shape.N, r.Shape.K,
                F(r.GigaFlopsOne), F(r.GigaFlopsMany), r.Threads, F(r.SpeedUp), F(r.SpeedUpMin), F(r.SpeedUpMax)));
        return string.Join("\n", lines) + "\n";

        static string F(double value) => value.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Result Measure(Shape shape, GemmBackend backend, int threads, int repetitions)
    {
        var (a, lda) = Operand(shape.TransposeA ? shape.K : shape.M, shape.TransposeA ? shape.M : shape.K, 1);
        var (b, ldb) = Operand(shape.TransposeB ? shape.N : shape.K, shape.TransposeB ? shape.K : shape.N, 2);
        var c = new float[shape.M * shape.N];
        double flops = 2.0 * shape.M * shape.N * shape.K;
        void Product(int t) => Gemm.MultiplyWith(shape.TransposeA, shape.TransposeB, shape.M, shape.N, shape.K, 1f, a, lda, b, ldb, 0f, c, shape.N,
            backend, t, ManagedGemm.BestKernel);

        // Warm-up (JIT, pack buffers, worker threads) and calibration: enough products for ≈ 40 ms on one thread.
        for (int i = 0; i < 3; i++) { Product(1); Product(threads); }
        long start = Stopwatch.GetTimestamp();
        Product(1);
        double once = Math.Max(1e-7, Stopwatch.GetElapsedTime(start).TotalSeconds);
        int count = (int)Math.Clamp(0.04 / once, 1, 100_000);

        var one = new double[repetitions];
        var many = new double[repetitions];
        var ratio = new double[repetitions];
        for (int rep = 0; rep < repetitions; rep++)
        {
            // Alternate which goes first, so neither always follows the other's cache state.
            if (rep % 2 == 0) { one[rep] = Rate(1); many[rep] = Rate(threads); }
            else { many[rep] = Rate(threads); one[rep] = Rate(1); }
            ratio[rep] = many[rep] / one[rep];
        }
        return new Result(shape, backend == GemmBackend.Managed ? "managed" : "openblas", threads, Median(one), Median(many),
            Median(ratio), ratio.Min(), ratio.Max());

        double Rate(int t)
        {
            long begin = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++) Product(t);
            return count * flops / Stopwatch.GetElapsedTime(begin).TotalSeconds / 1e9;
        }
    }

    private static (float[] Values, int Ld) Operand(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var values = new float[rows * columns];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextSingle() - 0.5f;
        return (values, columns);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

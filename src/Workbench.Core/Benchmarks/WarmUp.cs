using System.Diagnostics;
using System.Runtime;

namespace Workbench.Benchmarks;

/// <summary>
/// Calls a benchmark step until its time per call has settled, so that the timed repetitions after it measure the
/// code the runtime ends up with, not an intermediate tier.
/// </summary>
/// <remarks>
/// Tiered compilation replaces a method's first code only after 30 calls, a 100 ms pause in new tier-0 activity
/// and a compile on a background thread; with dynamic PGO there is an instrumented tier in between, and loops move by
/// on-stack replacement. Until all of that is done the step can be several times slower than later, and it can look
/// steady meanwhile (a plateau on instrumented code). So the rule is: the step is called in batches of about
/// <see cref="BatchSeconds"/>; the warm-up stops once at least <see cref="MinimumSeconds"/> and
/// <see cref="MinimumCalls"/> have passed, the median time per call of the last <see cref="StableBatches"/> batches
/// agrees with that of the <see cref="StableBatches"/> before them within <see cref="Tolerance"/> (medians, so that
/// one batch disturbed by another process does not hold it up), and the JIT compiled no method (on any thread) during
/// the last of those windows. If that has not happened after <see cref="MaximumSeconds"/>, it stops anyway and says so.
/// </remarks>
public sealed class WarmUp
{
    private readonly Func<double> seconds;
    private readonly Func<long> compiledMethods;

    /// <summary>A warm-up on the real clock and the runtime's count of compiled methods (all threads).</summary>
    public WarmUp() : this(() => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency, () => JitInfo.GetCompiledMethodCount(currentThread: false))
    {
    }

    /// <summary>A warm-up on the given clock (seconds, increasing) and count of methods the JIT has compiled.</summary>
    public WarmUp(Func<double> seconds, Func<long> compiledMethods)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        ArgumentNullException.ThrowIfNull(compiledMethods);
        (this.seconds, this.compiledMethods) = (seconds, compiledMethods);
    }

    /// <summary>Least time the warm-up runs: tiering's delay and background compiles take hundreds of milliseconds.</summary>
    public double MinimumSeconds { get; init; } = 1.0;

    /// <summary>
    /// Least number of calls: tiering's call-count threshold, so that even the methods called once per step have
    /// been queued for their next tier (whose compile the JIT count then shows).
    /// </summary>
    public int MinimumCalls { get; init; } = 30;

    /// <summary>Length of one timed batch of calls.</summary>
    public double BatchSeconds { get; init; } = 0.05;

    /// <summary>Batches per window: two successive windows' medians must agree.</summary>
    public int StableBatches { get; init; } = 5;

    /// <summary>Largest relative difference of the two windows' median times per call.</summary>
    public double Tolerance { get; init; } = 0.03;

    /// <summary>Longest warm-up; after it the result is marked not settled.</summary>
    public double MaximumSeconds { get; init; } = 30;

    /// <summary>When set, each batch is written here (elapsed s, calls, µs per call, JIT method count): for looking into a warm-up.</summary>
    public TextWriter? Trace { get; init; }

    /// <summary>Calls <paramref name="step"/> until the stopping rule holds or time runs out.</summary>
    public WarmUpResult Run(Action step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (StableBatches < 1) throw new ArgumentOutOfRangeException(nameof(StableBatches), StableBatches, "must be at least 1");
        // Per batch its time per call; compiled[i] is the JIT's method count before batch i, compiled[^1] the latest.
        var perCall = new List<double>();
        var compiled = new List<long> { compiledMethods() };
        double start = seconds();
        long calls = 0, callsPerBatch = 1;
        while (true)
        {
            double batchStart = seconds();
            for (long i = 0; i < callsPerBatch; i++) step();
            double elapsed = seconds() - batchStart;
            calls += callsPerBatch;
            perCall.Add(elapsed / callsPerBatch);
            compiled.Add(compiledMethods());
            Trace?.WriteLine(FormattableString.Invariant($"warm-up {seconds() - start:F3} s {calls} calls {1e6 * perCall[^1]:F1} µs/call {compiled[^1]} methods"));

            double total = seconds() - start;
            if (Settled(perCall, compiled, total, calls))
                return new WarmUpResult(RecentMedian(perCall), calls, total, Settled: true);
            if (total >= MaximumSeconds)
                return new WarmUpResult(RecentMedian(perCall), calls, total, Settled: false);
            // Grow (or shrink) the batch towards BatchSeconds from the latest time per call.
            double latest = perCall[^1];
            callsPerBatch = latest > 0 ? Math.Clamp((long)(BatchSeconds / latest), 1, 1_000_000) : Math.Min(callsPerBatch * 2, 1_000_000);
        }
    }

    private bool Settled(List<double> perCall, List<long> compiled, double total, long calls)
    {
        int window = StableBatches;
        if (total < MinimumSeconds || calls < MinimumCalls || perCall.Count < 2 * window) return false;
        if (compiled[^1] != compiled[^(window + 1)]) return false;   // the JIT was busy during the last window
        double latest = Median(perCall, perCall.Count - window, window), previous = Median(perCall, perCall.Count - 2 * window, window);
        return Math.Abs(latest / previous - 1) <= Tolerance;
    }

    private double RecentMedian(List<double> perCall)
    {
        int window = Math.Min(StableBatches, perCall.Count);
        return Median(perCall, perCall.Count - window, window);
    }

    private static double Median(List<double> values, int start, int count)
    {
        double[] sorted = [.. values.Skip(start).Take(count)];
        Array.Sort(sorted);
        return count % 2 == 1 ? sorted[count / 2] : 0.5 * (sorted[count / 2 - 1] + sorted[count / 2]);
    }
}

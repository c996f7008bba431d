using Workbench.Benchmarks;

namespace Workbench.Core.Tests.Benchmarks;

/// <summary>
/// The warm-up's stopping rule on a simulated step: a fake clock that each call advances by the step's current cost,
/// and a fake JIT method count, so that every case is exact and takes no real time.
/// </summary>
public class WarmUpTests
{
    /// <summary>A step whose cost and the JIT's method count are functions of the simulated time.</summary>
    private sealed class SimulatedStep(Func<double, double> secondsPerCall, Func<double, long> compiledMethods)
    {
        public double Now { get; private set; }
        public long Calls { get; private set; }

        public void Call() { Now += secondsPerCall(Now); Calls++; }

        public WarmUp WarmUp(double maximumSeconds = 30) => new(() => Now, () => compiledMethods(Now)) { MaximumSeconds = maximumSeconds };
    }

    [Fact]
    public void StopsOnceTheFinalTierIsInAndStable()
    {
        // Tier 0 at 100 µs until the compiles finish at 0.4 s, then 20 µs for good.
        var step = new SimulatedStep(now => now < 0.4 ? 100e-6 : 20e-6, now => now < 0.4 ? (long)(now * 1000) : 400);
        WarmUpResult result = step.WarmUp().Run(step.Call);
        Assert.True(result.Settled);
        Assert.Equal(20e-6, result.SecondsPerCall, 12);
        Assert.Equal(step.Calls, result.Calls);
        Assert.InRange(result.Seconds, 1.0, 1.5);   // the minimum time, then two agreeing windows of 50 ms batches
    }

    [Fact]
    public void DoesNotStopOnAPlateauWhileTheJitIsStillCompiling()
    {
        // Instrumented code: a steady 50 µs for 2.5 s while methods keep being compiled in the background, then the
        // final code at 20 µs. Timing alone would stop on the plateau after the minimum second.
        var step = new SimulatedStep(now => now < 2.5 ? 50e-6 : 20e-6, now => now < 2.5 ? 100 + (long)(now / 0.2) : 200);
        WarmUpResult result = step.WarmUp().Run(step.Call);
        Assert.True(result.Settled);
        Assert.Equal(20e-6, result.SecondsPerCall, 12);
        Assert.True(result.Seconds > 2.5, $"stopped at {result.Seconds} s, on the plateau");
    }

    [Fact]
    public void WaitsUntilTwoWindowsAgreeOnTheStepTime()
    {
        // No JIT activity, but the step keeps getting faster (caches, allocator, OS) until 3 s.
        var step = new SimulatedStep(now => now < 3 ? 100e-6 - 25e-6 * now : 25e-6, _ => 500);
        WarmUpResult result = step.WarmUp().Run(step.Call);
        Assert.True(result.Settled);
        Assert.Equal(25e-6, result.SecondsPerCall, 12);
        Assert.True(result.Seconds > 3);
    }

    [Fact]
    public void OneDisturbedBatchDoesNotHoldItUp()
    {
        // Steady 30 µs, except one 50 ms stretch at 1.0 s that runs 10× slower (another process took the core).
        var step = new SimulatedStep(now => now is >= 1.0 and < 1.05 ? 300e-6 : 30e-6, _ => 500);
        WarmUpResult result = step.WarmUp().Run(step.Call);
        Assert.True(result.Settled);
        Assert.Equal(30e-6, result.SecondsPerCall, 12);
        Assert.True(result.Seconds < 1.5, $"took {result.Seconds} s");
    }

    [Fact]
    public void MakesAtLeastTheMinimumNumberOfCalls()
    {
        // A slow step (0.2 s per call, steady from the start): the time rule alone would stop after a few calls.
        var step = new SimulatedStep(_ => 0.2, _ => 500);
        WarmUpResult result = step.WarmUp().Run(step.Call);
        Assert.True(result.Settled);
        Assert.Equal(30, result.Calls);
    }

    [Fact]
    public void GivesUpAtTheMaximumTimeAndSaysSo()
    {
        // The JIT never stops compiling.
        var step = new SimulatedStep(_ => 40e-6, now => (long)(now * 100));
        WarmUpResult result = step.WarmUp(maximumSeconds: 5).Run(step.Call);
        Assert.False(result.Settled);
        Assert.InRange(result.Seconds, 5, 5.1);
        Assert.Equal(40e-6, result.SecondsPerCall, 12);
    }
}

namespace Workbench.Benchmarks;

/// <summary>How a <see cref="WarmUp"/> ended.</summary>
/// <param name="SecondsPerCall">The step's time per call over the last, agreeing batches (their median).</param>
/// <param name="Calls">Calls made during the warm-up.</param>
/// <param name="Seconds">Time the warm-up took.</param>
/// <param name="Settled">
/// True when the stopping rule was met; false when <see cref="WarmUp.MaximumSeconds"/> ran out first (the step time
/// or the JIT was still moving, so what follows may be measured on code that is not final).
/// </param>
public sealed record WarmUpResult(double SecondsPerCall, long Calls, double Seconds, bool Settled);

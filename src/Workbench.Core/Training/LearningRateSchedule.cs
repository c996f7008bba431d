namespace Workbench.Training;

/// <summary>
/// The learning rate as a function of the step (0-based), set on the optimizer before each step. Build one with the
/// factories: <see cref="Constant"/>, <see cref="StepDecay"/>, <see cref="Cosine"/>, and wrap any of them with
/// <see cref="WithLinearWarmup"/>.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for step <paramref name="step"/> (0-based).</summary>
    public abstract double At(long step);

    /// <summary>The same rate at every step.</summary>
    public static LearningRateSchedule Constant(double learningRate) => new Function(_ => learningRate, $"constant({learningRate})");

    /// <summary>lr · γ^⌊step / stepSize⌋, as torch.optim.lr_scheduler.StepLR.</summary>
    public static LearningRateSchedule StepDecay(double learningRate, long stepSize, double gamma)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        return new Function(step => learningRate * Math.Pow(gamma, step / stepSize), $"step({learningRate}, {stepSize}, {gamma})");
    }

    /// <summary>
    /// Cosine annealing from lr to <paramref name="minimum"/> over <paramref name="totalSteps"/>:
    /// min + (lr − min)(1 + cos(π·step/total))/2, and min after the end.
    /// </summary>
    public static LearningRateSchedule Cosine(double learningRate, long totalSteps, double minimum = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        return new Function(step => step >= totalSteps
            ? minimum
            : minimum + (learningRate - minimum) * (1 + Math.Cos(Math.PI * step / totalSteps)) / 2, $"cosine({learningRate}, {totalSteps}, {minimum})");
    }

    /// <summary>Linear warm-up: steps 0..warmup−1 use inner(step)·(step + 1)/warmup, then the inner schedule.</summary>
    public LearningRateSchedule WithLinearWarmup(long warmupSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        var inner = this;
        return new Function(step => step < warmupSteps ? inner.At(step) * (step + 1) / warmupSteps : inner.At(step), $"warmup({warmupSteps}, {inner})");
    }

    /// <summary>
    /// Parses the command-line form: <c>constant</c>, <c>step:SIZE:GAMMA</c>, <c>cosine</c> (over <paramref name="totalSteps"/>),
    /// each optionally followed by <c>+warmup:N</c>.
    /// </summary>
    public static LearningRateSchedule Parse(string text, double learningRate, long totalSteps)
    {
        string[] parts = text.Split('+', StringSplitOptions.TrimEntries);
        string[] main = parts[0].Split(':');
        LearningRateSchedule schedule = main[0] switch
        {
            "constant" or "" when main.Length == 1 => Constant(learningRate),
            "cosine" when main.Length <= 2 => Cosine(learningRate, totalSteps, main.Length == 2 ? double.Parse(main[1], System.Globalization.CultureInfo.InvariantCulture) : 0),
            "step" when main.Length == 3 => StepDecay(learningRate, long.Parse(main[1], System.Globalization.CultureInfo.InvariantCulture), double.Parse(main[2], System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new FormatException($"Unknown learning-rate schedule '{text}': use constant, cosine[:MIN], step:SIZE:GAMMA, optionally +warmup:N."),
        };
        for (int i = 1; i < parts.Length; i++)
        {
            string[] w = parts[i].Split(':');
            if (w.Length != 2 || w[0] != "warmup" || !long.TryParse(w[1], out long n))
                throw new FormatException($"Unknown schedule modifier '{parts[i]}' in '{text}': use +warmup:N.");
            schedule = schedule.WithLinearWarmup(n);
        }
        return schedule;
    }

    private sealed class Function(Func<long, double> at, string description) : LearningRateSchedule
    {
        public override double At(long step) => at(step);
        public override string ToString() => description;
    }
}

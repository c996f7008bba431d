namespace Workbench.Data;

/// <summary>Sums of sines with optional Gaussian noise: a time series whose structure is known exactly.</summary>
public static class SineWaveGenerator
{
    /// <summary>The default mixture: periods 20 and 7 steps, so a model must track two rhythms.</summary>
    public static IReadOnlyList<SineComponent> DefaultComponents { get; } =
        [new SineComponent(1.0, 20.0), new SineComponent(0.5, 7.0, 0.3)];

    /// <summary>
    /// x_t = Σ_k A_k sin(2π t / P_k + φ_k) + noise·ε_t, ε_t ~ N(0, 1), for t = 0..length-1, deterministic from <paramref name="seed"/>.
    /// </summary>
    public static double[] Generate(int length, IReadOnlyList<SineComponent>? components = null, double noise = 0, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(noise);
        components ??= DefaultComponents;
        var random = new Random(seed);
        var series = new double[length];
        for (int t = 0; t < length; t++)
        {
            double value = 0;
            foreach (var c in components)
            {
                if (c.Period <= 0) throw new ArgumentException($"A sine component has period {c.Period}; it must be positive.");
                value += c.Amplitude * Math.Sin(2 * Math.PI * t / c.Period + c.Phase);
            }
            if (noise > 0) value += noise * Gaussian(random);
            series[t] = value;
        }
        return series;
    }

    // Box–Muller: two uniforms → one standard normal (the second is discarded to keep the stream simple).
    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

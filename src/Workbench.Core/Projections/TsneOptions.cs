namespace Workbench.Projections;

/// <summary>Settings of <see cref="Tsne"/> (van der Maaten's defaults).</summary>
public sealed record TsneOptions
{
    /// <summary>Effective number of neighbours each point's Gaussian is tuned to; must be below the number of points.</summary>
    public double Perplexity { get; init; } = 30;

    /// <summary>Factor on P during the first <see cref="ExaggerationIterations"/> iterations.</summary>
    public double EarlyExaggeration { get; init; } = 12;

    /// <summary>Iterations with exaggeration (and the initial momentum).</summary>
    public int ExaggerationIterations { get; init; } = 250;

    /// <summary>Gradient-descent step size.</summary>
    public double LearningRate { get; init; } = 200;

    /// <summary>Total iterations.</summary>
    public int Iterations { get; init; } = 1000;

    /// <summary>Momentum during exaggeration.</summary>
    public double InitialMomentum { get; init; } = 0.5;

    /// <summary>Momentum afterwards.</summary>
    public double FinalMomentum { get; init; } = 0.8;

    /// <summary>Barnes–Hut accuracy: a cell whose width/distance is below θ counts as one point (0 = exact repulsion).</summary>
    public double Theta { get; init; } = 0.5;

    /// <summary>Exact, Barnes–Hut or automatic.</summary>
    public TsneMethod Method { get; init; } = TsneMethod.Auto;

    /// <summary>Output dimensions (2 or 3 for exact; Barnes–Hut needs 2).</summary>
    public int Dimensions { get; init; } = 2;

    /// <summary>Seed of the initial layout (Gaussian, standard deviation 1e-4): same seed, same result.</summary>
    public int Seed { get; init; } = 0;
}

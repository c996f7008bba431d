namespace Workbench.Data;

/// <summary>
/// z-score normalization: x' = (x − mean) / std, with mean and std fitted on the training part only
/// (so validation data never leaks into the statistics). <see cref="Inverse"/> maps predictions back.
/// </summary>
public sealed class StandardScaler
{
    /// <summary>The fitted mean.</summary>
    public double Mean { get; }

    /// <summary>The fitted standard deviation (population; 1 when the data is constant).</summary>
    public double StandardDeviation { get; }

    /// <summary>Creates a scaler with known statistics.</summary>
    public StandardScaler(double mean, double standardDeviation)
    {
        if (!(standardDeviation > 0)) throw new ArgumentOutOfRangeException(nameof(standardDeviation), "must be positive");
        Mean = mean;
        StandardDeviation = standardDeviation;
    }

    /// <summary>Fits mean and standard deviation on <paramref name="values"/>.</summary>
    public static StandardScaler Fit(ReadOnlySpan<double> values)
    {
        if (values.Length == 0) throw new ArgumentException("Cannot fit a scaler on no values.", nameof(values));
        double mean = 0;
        foreach (double v in values) mean += v;
        mean /= values.Length;
        double variance = 0;
        foreach (double v in values) variance += (v - mean) * (v - mean);
        double std = Math.Sqrt(variance / values.Length);
        return new StandardScaler(mean, std > 0 ? std : 1.0);
    }

    /// <summary>(x − mean) / std for each value.</summary>
    public double[] Transform(ReadOnlySpan<double> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = (values[i] - Mean) / StandardDeviation;
        return result;
    }

    /// <summary>x·std + mean for each value.</summary>
    public double[] Inverse(ReadOnlySpan<double> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i] * StandardDeviation + Mean;
        return result;
    }
}

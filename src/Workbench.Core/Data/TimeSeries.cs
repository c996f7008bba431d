namespace Workbench.Data;

/// <summary>A univariate time series as read from a file: the values, their optional dates, and where they came from.</summary>
/// <param name="Values">The observations in file order.</param>
/// <param name="Dates">The date column's text per observation, or null when the file has none.</param>
/// <param name="Source">The file path (or a description for generated series).</param>
public sealed record TimeSeries(double[] Values, string[]? Dates, string Source);

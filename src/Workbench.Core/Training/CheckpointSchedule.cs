using System.Globalization;

namespace Workbench.Training;

/// <summary>When a run writes checkpoints while it trains: every <see cref="Steps"/> steps, every <see cref="Interval"/>, or both.</summary>
public sealed record CheckpointSchedule
{
    /// <summary>Save after this many steps since the last save, or null.</summary>
    public long? Steps { get; init; }

    /// <summary>Save when this much time has passed since the last save, or null.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>
    /// Parses <c>N</c> or <c>Nsteps</c> (steps), <c>Mm</c> or <c>Mmin</c> (minutes), <c>Ss</c> (seconds), and both
    /// joined by a comma, e.g. <c>500,10m</c>. Throws <see cref="FormatException"/> naming the text.
    /// </summary>
    public static CheckpointSchedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        long? steps = null;
        TimeSpan? interval = null;
        foreach (string raw in text.Split(',', StringSplitOptions.TrimEntries))
        {
            string part = raw.ToLowerInvariant();
            (string number, double unitSeconds) = part switch
            {
                _ when part.EndsWith("steps", StringComparison.Ordinal) => (part[..^5], 0.0),
                _ when part.EndsWith("min", StringComparison.Ordinal) => (part[..^3], 60.0),
                _ when part.EndsWith('m') => (part[..^1], 60.0),
                _ when part.EndsWith('s') => (part[..^1], 1.0),
                _ => (part, 0.0),
            };
            if (unitSeconds == 0)
            {
                if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n < 1)
                    throw new FormatException($"'{raw}' is not a step count (a whole number ≥ 1, e.g. 500) or a time (e.g. 10m, 30s).");
                steps = n;
            }
            else
            {
                if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || !(value > 0) || value * unitSeconds > TimeSpan.MaxValue.TotalSeconds / 2)
                    throw new FormatException($"'{raw}' is not a positive time (e.g. 10m, 30s).");
                interval = TimeSpan.FromSeconds(value * unitSeconds);
            }
        }
        return new CheckpointSchedule { Steps = steps, Interval = interval };
    }
}

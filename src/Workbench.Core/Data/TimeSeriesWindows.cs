using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Data;

/// <summary>Cuts a series into (input window, next value) pairs for one-step-ahead forecasting.</summary>
public static class TimeSeriesWindows
{
    /// <summary>
    /// Every window of <paramref name="window"/> consecutive values (stride <paramref name="stride"/>) becomes an input
    /// (window, 1) and the value <paramref name="horizon"/> steps after its end the target: inputs (window, N, 1), targets (N, 1).
    /// </summary>
    public static SequenceRegressionSet<T> Create<T>(ReadOnlySpan<double> series, int window, int horizon = 1, int stride = 1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        int last = series.Length - window - horizon; // last valid start
        if (last < 0)
            throw new ArgumentException($"A series of {series.Length} values is too short for window {window} and horizon {horizon}.");
        int count = last / stride + 1;
        var x = new T[window * count];
        var y = new T[count];
        for (int n = 0; n < count; n++)
        {
            int start = n * stride;
            for (int t = 0; t < window; t++) x[t * count + n] = T.CreateChecked(series[start + t]);
            y[n] = T.CreateChecked(series[start + window + horizon - 1]);
        }
        return new SequenceRegressionSet<T>(new NdArray<T>(x, window, count, 1), new NdArray<T>(y, count, 1));
    }
}

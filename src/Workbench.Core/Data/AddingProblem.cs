using System.Numerics;
using Workbench.Tensors;

namespace Workbench.Data;

/// <summary>
/// The adding problem (Hochreiter &amp; Schmidhuber 1997): each step carries a value drawn from U(0, 1) and a marker;
/// exactly two steps are marked (one in each half of the sequence) and the target is the sum of their values.
/// The length T sets the difficulty: the first marked value must be remembered across about T/2 steps.
/// </summary>
/// <remarks>
/// Predicting the constant 1 (the mean of the target) gives the variance of the sum of two U(0,1) values,
/// 2/12 ≈ 0.167, as mean squared error: <see cref="BaselineMse"/>. A model has learned the task when it is far below.
/// </remarks>
public static class AddingProblem
{
    /// <summary>Mean squared error of always predicting 1: Var(U₁ + U₂) = 1/6.</summary>
    public const double BaselineMse = 1.0 / 6.0;

    /// <summary>Input channels: the value (0) and the marker (1).</summary>
    public const int InputSize = 2;

    /// <summary>
    /// Generates <paramref name="count"/> sequences of <paramref name="length"/> steps, deterministically from
    /// <paramref name="seed"/>: inputs (T, N, 2), targets (N, 1).
    /// </summary>
    public static SequenceRegressionSet<T> Generate<T>(int count, int length, int seed) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        var random = new Random(seed);
        var x = new T[length * count * InputSize];
        var y = new T[count];
        int half = length / 2;
        for (int n = 0; n < count; n++)
        {
            int first = random.Next(0, half);
            int second = random.Next(half, length);
            double sum = 0;
            for (int t = 0; t < length; t++)
            {
                double value = random.NextDouble();
                int offset = (t * count + n) * InputSize;
                x[offset] = T.CreateChecked(value);
                if (t == first || t == second)
                {
                    x[offset + 1] = T.One;
                    sum += value;
                }
            }
            y[n] = T.CreateChecked(sum);
        }
        return new SequenceRegressionSet<T>(new NdArray<T>(x, length, count, InputSize), new NdArray<T>(y, count, 1));
    }
}

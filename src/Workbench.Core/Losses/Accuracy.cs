using System.Numerics;

namespace Workbench.Losses;

/// <summary>
/// Classification accuracy, the metric reported beside cross-entropy: the predicted class of a row of logits is its
/// arg max (the first one on ties, as torch.argmax), and a prediction is correct when it equals the target.
/// </summary>
internal static class Accuracy
{
    /// <summary>The arg max of each of the <paramref name="rows"/> rows of a row-major (rows, columns) array.</summary>
    public static int[] ArgMaxRows<T>(ReadOnlySpan<T> data, int rows, int columns) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var result = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            int best = 0;
            for (int c = 1; c < columns; c++) if (data[r * columns + c] > data[r * columns + best]) best = c;
            result[r] = best;
        }
        return result;
    }

    /// <summary>
    /// How many rows' arg max equals their target; rows whose target is <paramref name="ignoreIndex"/> (padding, as
    /// in cross-entropy) are not counted.
    /// </summary>
    public static long CountCorrect<T>(ReadOnlySpan<T> logits, int columns, ReadOnlySpan<int> targets, int ignoreIndex)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int[] predicted = ArgMaxRows(logits, targets.Length, columns);
        long correct = 0;
        for (int i = 0; i < predicted.Length; i++)
            if (targets[i] != ignoreIndex && predicted[i] == targets[i]) correct++;
        return correct;
    }
}

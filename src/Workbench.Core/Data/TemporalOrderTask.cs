namespace Workbench.Data;

/// <summary>
/// The temporal-order task (Hochreiter &amp; Schmidhuber 1997, experiment 6a): a sequence of distractor symbols holds
/// two relevant symbols, each X or Y, one early (10–20 % of the way in) and one in the middle (50–60 %);
/// the class is their order: XX, XY, YX or YY. The sequence starts with B and ends with E.
/// </summary>
/// <remarks>Token ids: 0 = padding (unused), 1..4 = distractors a–d, 5 = X, 6 = Y, 7 = B, 8 = E. Classes: 0 XX, 1 XY, 2 YX, 3 YY.</remarks>
public static class TemporalOrderTask
{
    /// <summary>Token id of X.</summary>
    public const int X = 5;

    /// <summary>Token id of Y.</summary>
    public const int Y = 6;

    /// <summary>Vocabulary size (including the unused padding id 0).</summary>
    public const int VocabularySize = 9;

    /// <summary>Number of classes.</summary>
    public const int ClassCount = 4;

    /// <summary>The class names, by id.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["XX", "XY", "YX", "YY"];

    /// <summary>Generates <paramref name="count"/> sequences of <paramref name="length"/> tokens (at least 10) from <paramref name="seed"/>.</summary>
    public static LabeledSequenceSet Generate(int count, int length, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 10);
        var random = new Random(seed);
        var inputs = new int[count][];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            var x = new int[length];
            x[0] = 7;
            x[length - 1] = 8;
            for (int t = 1; t < length - 1; t++) x[t] = random.Next(1, 5);
            int first = Position(random, length, 0.1, 0.2);
            int second = Position(random, length, 0.5, 0.6);
            int a = random.Next(2), b = random.Next(2);
            x[first] = a == 0 ? X : Y;
            x[second] = b == 0 ? X : Y;
            inputs[n] = x;
            labels[n] = 2 * a + b;
        }
        return new LabeledSequenceSet(inputs, labels, VocabularySize, ClassCount);
    }

    private static int Position(Random random, int length, double from, double to)
    {
        int lo = Math.Max(1, (int)(from * length));
        int hi = Math.Min(length - 2, Math.Max(lo, (int)(to * length)));
        return random.Next(lo, hi + 1);
    }
}

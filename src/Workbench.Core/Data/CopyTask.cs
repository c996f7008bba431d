namespace Workbench.Data;

/// <summary>
/// The copy (memory) task: a few random symbols, a long blank delay, a delimiter, then the model must reproduce the
/// symbols in order. Only the reproduction steps are scored (the others hold <see cref="TokenBatch.IgnoreIndex"/>).
/// </summary>
/// <remarks>
/// Token ids: 0 = blank, 1..<c>symbolCount</c> = symbols, <c>symbolCount</c>+1 = delimiter. Targets use the same ids.
/// Sequence length = copyLength + delay + 1 + copyLength. Guessing gives accuracy 1/symbolCount.
/// </remarks>
public static class CopyTask
{
    /// <summary>The blank token id.</summary>
    public const int Blank = 0;

    /// <summary>Generates <paramref name="count"/> sequences deterministically from <paramref name="seed"/>.</summary>
    /// <param name="count">Number of sequences.</param>
    /// <param name="copyLength">How many symbols to remember.</param>
    /// <param name="delay">Blank steps between the symbols and the delimiter (the difficulty).</param>
    /// <param name="symbolCount">Distinct symbols.</param>
    /// <param name="seed">Random seed.</param>
    public static TaggedSequenceSet Generate(int count, int copyLength, int delay, int symbolCount, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(copyLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(symbolCount, 2);
        int delimiter = symbolCount + 1;
        int length = copyLength + delay + 1 + copyLength;
        var random = new Random(seed);
        var inputs = new int[count][];
        var targets = new int[count][];
        for (int n = 0; n < count; n++)
        {
            var x = new int[length];
            var y = new int[length];
            Array.Fill(y, TokenBatch.IgnoreIndex);
            for (int i = 0; i < copyLength; i++)
            {
                int symbol = random.Next(1, symbolCount + 1);
                x[i] = symbol;
                y[copyLength + delay + 1 + i] = symbol;
            }
            x[copyLength + delay] = delimiter;
            inputs[n] = x;
            targets[n] = y;
        }
        return new TaggedSequenceSet(inputs, targets, symbolCount + 2, symbolCount + 2);
    }
}

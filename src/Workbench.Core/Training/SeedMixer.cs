namespace Workbench.Training;

/// <summary>Derives independent, platform-stable seeds (SplitMix64), e.g. one per epoch; HashCode is randomised per process so it cannot be used.</summary>
public static class SeedMixer
{
    /// <summary>A seed derived from <paramref name="seed"/> and <paramref name="stream"/>.</summary>
    public static int Mix(int seed, long stream)
    {
        ulong z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)stream + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return unchecked((int)(z & 0x7FFFFFFF));
    }

    /// <summary>0..count-1 shuffled deterministically from (seed, epoch).</summary>
    public static int[] Permutation(int count, int seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(Mix(seed, epoch)).Shuffle(order);
        return order;
    }
}

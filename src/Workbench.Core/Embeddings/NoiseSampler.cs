using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Workbench.Embeddings;

/// <summary>
/// Draws noise words from a cumulative table the way gensim does (a 32-bit random draw reduced modulo the table's
/// last value, then the first word whose cumulative value exceeds it), with the same answer for every draw but
/// without a full binary search: a guide table of about one bucket per word stores, for each bucket of the value
/// range, the answer at the bucket's start, so a draw searches only the one or two words its bucket spans. A full
/// search over 20,000 words is 15 data-dependent, unpredictable branches per noise word, five noise words per pair.
/// </summary>
internal sealed class NoiseSampler
{
    private readonly uint[] _cumulative;
    private readonly int[] _guide; // _guide[k] = answer for value k << _shift; one extra entry closes the last bucket
    private readonly int _shift;
    private readonly FastModulo _domain;

    public NoiseSampler(uint[] cumulative)
    {
        ArgumentNullException.ThrowIfNull(cumulative);
        if (cumulative.Length == 0 || cumulative[^1] == 0)
            throw new ArgumentException("The cumulative noise table must be non-empty and end above 0.", nameof(cumulative));
        _cumulative = cumulative;
        _domain = new FastModulo(cumulative[^1]);
        int valueBits = 32 - (int)uint.LeadingZeroCount(cumulative[^1] - 1 | 1);         // every drawn value < 2^valueBits
        int bucketBits = Math.Clamp(32 - (int)uint.LeadingZeroCount((uint)cumulative.Length), 1, Math.Min(valueBits, 22));
        _shift = valueBits - bucketBits;
        _guide = new int[(1 << bucketBits) + 1];
        for (int k = 0; k < _guide.Length; k++)
            _guide[k] = k == _guide.Length - 1 ? cumulative.Length - 1 : LowerBound(cumulative, (uint)((ulong)k << _shift), 0, cumulative.Length - 1);
    }

    /// <summary>The noise word for a 32-bit random draw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Sample(uint draw)
    {
        uint value = _domain.Of(draw);
        ref int guide = ref MemoryMarshal.GetArrayDataReference(_guide);
        int bucket = (int)(value >> _shift);
        return LowerBound(_cumulative, value, Unsafe.Add(ref guide, bucket), Unsafe.Add(ref guide, bucket + 1));
    }

    /// <summary>The reference answer: draw mod the table's last value, then a full search.</summary>
    internal int SampleBySearch(uint draw) => LowerBound(_cumulative, draw % _cumulative[^1], 0, _cumulative.Length - 1);

    /// <summary>The first index in [lo, hi] whose cumulative value exceeds <paramref name="value"/> (hi when none before it does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LowerBound(uint[] cumulative, uint value, int lo, int hi)
    {
        ref uint table = ref MemoryMarshal.GetArrayDataReference(cumulative);
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (value < Unsafe.Add(ref table, mid)) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}

namespace Workbench.Numerics;

/// <summary>
/// A fixed split of C into contiguous strips of rows or of columns, one per thread. k is never split: every element
/// of C is computed whole by one thread, which is what makes results independent of the thread count.
/// </summary>
internal readonly struct CPartition
{
    /// <summary>A thread gets at least this many multiply-adds before another thread is woken for the product.</summary>
    internal const long WorkPerThread = 1L << 17;

    private readonly int m, n, rowUnit, columnUnit, units;

    /// <summary>True when C is split into strips of columns, false for strips of rows.</summary>
    public bool SplitColumns { get; }

    /// <summary>Number of parts (threads) the product is split into; at least 1.</summary>
    public int Parts { get; }

    /// <summary>Splits an m×n C (inner dimension k) into at most <paramref name="threads"/> parts whose boundaries fall
    /// on multiples of <paramref name="rowUnit"/> rows or <paramref name="columnUnit"/> columns; <paramref name="axis"/>
    /// &gt; 0 forces columns, &lt; 0 forces rows, 0 picks the longer side.</summary>
    public CPartition(int m, int n, int k, int rowUnit, int columnUnit, int threads, int axis = 0)
    {
        (this.m, this.n, this.rowUnit, this.columnUnit) = (m, n, rowUnit, columnUnit);
        int rowStrips = (m + rowUnit - 1) / rowUnit, columnStrips = (n + columnUnit - 1) / columnUnit;
        // Split along the longer side (in strips): both are exact, this one duplicates less packing.
        SplitColumns = axis > 0 || (axis == 0 && columnStrips >= rowStrips);
        units = SplitColumns ? columnStrips : rowStrips;
        long byWork = Math.Max(1, (long)m * n * k / WorkPerThread);
        Parts = (int)Math.Max(1, Math.Min(Math.Min(threads, byWork), units));
    }

    /// <summary>The block of C that part <paramref name="part"/> owns: rows [I0, I1), columns [J0, J1); may be empty.</summary>
    public (int I0, int I1, int J0, int J1) Region(int part)
    {
        int first = (int)((long)units * part / Parts), last = (int)((long)units * (part + 1) / Parts);
        return SplitColumns
            ? (0, m, first * columnUnit, Math.Min(n, last * columnUnit))
            : (first * rowUnit, Math.Min(m, last * rowUnit), 0, n);
    }
}

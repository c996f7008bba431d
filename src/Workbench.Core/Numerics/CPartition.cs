namespace Workbench.Numerics;

/// <summary>
/// A split of C into contiguous strips (chunks) of rows or of columns. k is never split: every element of C is
/// computed whole, by the same operations, whichever thread takes its chunk — which is what makes results
/// independent of the thread count. There are a few chunks per thread, taken first come first served, so that a
/// thread the OS preempts (a busy machine) delays the product by one chunk, not by half of it.
/// </summary>
internal readonly struct CPartition
{
    /// <summary>A chunk holds at least this many multiply-adds (below, waking a thread costs more than it saves).</summary>
    internal const long WorkPerThread = 1L << 17;

    /// <summary>Chunks per thread when more than one thread works on a product (at most).</summary>
    private const int ChunksPerThread = 4;

    /// <summary>Rows or columns a chunk spans at least, beyond one chunk per thread (measured: 8 chunks of 128 rows
    /// of a 1024³ product spent as long repacking B as multiplying).</summary>
    private const int ChunkExtent = 512;

    private readonly int m, n, rowUnit, columnUnit, units;

    /// <summary>True when C is split into strips of columns, false for strips of rows.</summary>
    public bool SplitColumns { get; }

    /// <summary>Number of chunks the product is split into; at least 1 (exactly 1 with one thread).</summary>
    public int Parts { get; }

    /// <summary>Threads worth using: at most one per chunk.</summary>
    public int Threads { get; }

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
        Threads = (int)Math.Max(1, Math.Min(Math.Min(threads, byWork), units));
        // A column strip repacks all of A (a row strip shares one packing of B, unless B is too large for that), and
        // every strip re-reads the shared operand, so extra chunks must stay wide: at least ChunkExtent rows or columns each.
        int unit = SplitColumns ? columnUnit : rowUnit;
        long wideChunks = Math.Max(1, (long)units * unit / ChunkExtent);
        Parts = Threads == 1 ? 1 : (int)Math.Max(Threads, Math.Min(Math.Min((long)Threads * ChunksPerThread, byWork), Math.Min(units, wideChunks)));
    }

    /// <summary>The block of C that chunk <paramref name="part"/> covers: rows [I0, I1), columns [J0, J1); may be empty.</summary>
    public (int I0, int I1, int J0, int J1) Region(int part)
    {
        int first = (int)((long)units * part / Parts), last = (int)((long)units * (part + 1) / Parts);
        return SplitColumns
            ? (0, m, first * columnUnit, Math.Min(n, last * columnUnit))
            : (first * rowUnit, Math.Min(m, last * rowUnit), 0, n);
    }
}

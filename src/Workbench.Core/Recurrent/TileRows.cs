namespace Workbench.Recurrent;

/// <summary>
/// Batch rows of a fused step's register tile, as a type argument so that each count compiles on its own (the rows a
/// count does not use compile away).
/// </summary>
internal interface ITileRows
{
    static abstract int Count { get; }
}

/// <summary>Two rows: AVX2's 16 registers.</summary>
internal readonly struct TwoRows : ITileRows
{
    public static int Count => 2;
}

/// <summary>Four rows.</summary>
internal readonly struct FourRows : ITileRows
{
    public static int Count => 4;
}

/// <summary>Six rows: the LSTM's four gates × 6 = 24 accumulators of AVX-512's 32 registers.</summary>
internal readonly struct SixRows : ITileRows
{
    public static int Count => 6;
}

/// <summary>Eight rows: the GRU's three gates × 8 = 24 accumulators of AVX-512's 32 registers.</summary>
internal readonly struct EightRows : ITileRows
{
    public static int Count => 8;
}

using System.Runtime.CompilerServices;

namespace Workbench.Embeddings;

/// <summary>
/// x mod d for 32-bit x and a fixed 32-bit d ≥ 1 without a division instruction: with M = ⌊(2⁶⁴ − 1)/d⌋ + 1,
/// x mod d = ⌊((M·x mod 2⁶⁴)·d) / 2⁶⁴⌋, exact for every 32-bit x (Lemire, Kaser and Kurz, "Faster remainder by direct
/// computation", 2019). word2vec draws a remainder for every window and every noise word; a 64-bit div costs tens of
/// cycles, this costs two multiplications.
/// </summary>
internal readonly struct FastModulo
{
    private readonly ulong _multiplier;
    private readonly uint _divisor;

    public FastModulo(uint divisor)
    {
        if (divisor == 0) throw new ArgumentOutOfRangeException(nameof(divisor), "The divisor of a remainder must be at least 1.");
        _divisor = divisor;
        _multiplier = ulong.MaxValue / divisor + 1; // wraps to 0 for divisor 1, which then gives x mod 1 = 0 as it should
    }

    public uint Divisor => _divisor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Of(uint x) => (uint)Math.BigMul(_multiplier * x, _divisor, out _);
}

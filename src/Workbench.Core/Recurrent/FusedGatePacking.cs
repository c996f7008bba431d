namespace Workbench.Recurrent;

/// <summary>
/// The weight layout the fused steps (<see cref="LstmFusedStep"/>, <see cref="GruFusedStep"/>) read: hidden units in
/// blocks of one vector width, and within a block, for every input feature k, the G gates' lanes side by side, so that
/// one pass over a block's weights feeds every gate of those units.
/// </summary>
internal static unsafe class FusedGatePacking
{
    /// <summary>Hidden units per block at <paramref name="lanes"/>.</summary>
    public static int BlockWidth(FusedLanes lanes) => lanes == FusedLanes.Vector512 ? 16 : 8;

    /// <summary>Floats of a (G·H, <paramref name="depth"/>) weight packed for hidden size <paramref name="hidden"/> (the last block zero-padded).</summary>
    public static int PackedLength(int gateCount, int hidden, int depth, FusedLanes lanes)
    {
        int v = BlockWidth(lanes);
        return (hidden + v - 1) / v * depth * gateCount * v;
    }

    /// <summary>
    /// Packs W (G·H, depth), row-major, into <paramref name="packed"/>: [block u][k][gate][lane] = W[gate·H + u·V + lane, k].
    /// <paramref name="kind"/> names the cell in the error for a buffer that is too short.
    /// </summary>
    public static void Pack(int gateCount, string kind, ReadOnlySpan<float> weight, int hidden, int depth, FusedLanes lanes, Span<float> packed)
    {
        int v = BlockWidth(lanes), length = PackedLength(gateCount, hidden, depth, lanes), stride = gateCount * v;
        if (weight.Length < gateCount * hidden * depth || packed.Length < length) throw new ArgumentException($"{kind} weight or its packed copy is too short.");
        if (hidden % v != 0) packed.Slice(0, length).Clear();
        fixed (float* w = weight, p = packed)
            for (int gate = 0; gate < gateCount; gate++)
                for (int j = 0; j < hidden; j++)
                {
                    float* row = w + (long)(gate * hidden + j) * depth;
                    float* d = p + (long)(j / v) * depth * stride + gate * v + j % v;
                    for (int k = 0; k < depth; k++, d += stride) *d = row[k];
                }
    }
}

using Workbench.Recurrent;

namespace Workbench.Onnx;

/// <summary>
/// The gate blocks of packed recurrent weights in the two layouts: the workbench (as PyTorch) packs the LSTM's gates
/// i, f, g, o and the GRU's r, z, n; ONNX packs i, o, f, c and z, r, h. A GRU whose update gate weighs the candidate
/// (<see cref="GruUpdateConvention.ZWeighsCandidate"/>) becomes ONNX's H = (1 − z) ⊙ h̃ + z ⊙ H_{t−1} by negating the
/// z block of every weight and bias: σ(−a) = 1 − σ(a), so the negated gate is the complement of the original.
/// </summary>
internal static class OnnxGateLayout
{
    // OnnxBlocks[p] = the workbench block stored at ONNX position p.
    private static readonly int[] LstmOnnxBlocks = [0, 3, 1, 2];   // i o f c ← i f g o
    private static readonly int[] GruOnnxBlocks = [1, 0, 2];       // z r h ← r z n
    private static readonly int[] RnnOnnxBlocks = [0];

    /// <summary>Where the z block sits in the ONNX GRU layout.</summary>
    private const int OnnxGruUpdateBlock = 0;

    private static int[] OnnxBlocks(RecurrentKind kind) => kind switch
    {
        RecurrentKind.Lstm => LstmOnnxBlocks,
        RecurrentKind.Gru => GruOnnxBlocks,
        _ => RnnOnnxBlocks,
    };

    /// <summary>
    /// Rows (G·H, width) in the workbench's layout, written in ONNX's order into <paramref name="destination"/>;
    /// <paramref name="negateUpdate"/> negates the GRU's z block.
    /// </summary>
    public static void ToOnnx(RecurrentKind kind, int hidden, int width, ReadOnlySpan<float> source, Span<float> destination, bool negateUpdate)
    {
        int[] blocks = OnnxBlocks(kind);
        int block = hidden * width;
        for (int p = 0; p < blocks.Length; p++)
        {
            var from = source.Slice(blocks[p] * block, block);
            var to = destination.Slice(p * block, block);
            from.CopyTo(to);
            if (negateUpdate && kind == RecurrentKind.Gru && p == OnnxGruUpdateBlock)
                for (int i = 0; i < to.Length; i++) to[i] = -to[i];
        }
    }

    /// <summary>The inverse of <see cref="ToOnnx"/>: ONNX-ordered rows back to the workbench's layout.</summary>
    public static void FromOnnx(RecurrentKind kind, int hidden, int width, ReadOnlySpan<float> source, Span<float> destination, bool negateUpdate)
    {
        int[] blocks = OnnxBlocks(kind);
        int block = hidden * width;
        for (int p = 0; p < blocks.Length; p++)
        {
            var from = source.Slice(p * block, block);
            var to = destination.Slice(blocks[p] * block, block);
            from.CopyTo(to);
            if (negateUpdate && kind == RecurrentKind.Gru && p == OnnxGruUpdateBlock)
                for (int i = 0; i < to.Length; i++) to[i] = -to[i];
        }
    }
}

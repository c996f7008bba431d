namespace Workbench.Recurrent;

/// <summary>
/// What a projected LSTM keeps beyond <see cref="RecurrentBuffers{T}"/>, whose state buffers it uses at width P
/// (they are sized for H &gt; P). Each array is grown by the direction that uses it, so the two directions of a
/// bidirectional layer never grow a shared one, and reused while shapes repeat: a warm step allocates nothing.
/// </summary>
internal sealed class LstmProjectionBuffers<T>(int count)
{
    /// <summary>Per (layer, direction) k: (T, B, H) m_t = o_t ⊙ tanh(c_t), the cell output before the projection h_t = m_t W_hrᵀ.</summary>
    public readonly T[][] CellOutputs = Enumerable.Repeat(Array.Empty<T>(), count).ToArray();

    /// <summary>Per direction: (T, B, P) ∂L/∂h_t of every step, for ∂L/∂W_hr in one product.</summary>
    public readonly T[][] GradStates = [[], []];

    /// <summary>Per direction: (B, H) ∂L/∂m_t of the running step.</summary>
    public readonly T[][] GradCellOutput = [[], []];

    /// <summary>Grows <paramref name="buffer"/> to at least <paramref name="length"/> elements.</summary>
    public static void Grow(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
    }
}

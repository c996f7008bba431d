namespace Workbench.Recurrent;

/// <summary>
/// The packed-sequence bookkeeping of one batch: the batch sorted by length, longest first (stable), so that the
/// sequences still running at step t are the prefix <c>0..Active[t]</c>; and the copies between batch order and
/// sorted order.
/// </summary>
/// <remarks>
/// PyTorch's packed sequences work the same way: steps at or past a sequence's length are padding, which the
/// recurrence skips. Sorting once turns "which rows are active" into one count per step, so every step's products
/// run on a contiguous block of rows.
/// </remarks>
internal sealed class PackedBatch
{
    private int[] _order = [];
    private int[] _active = [];

    /// <summary>Time steps T of the batch.</summary>
    public int Steps { get; private set; }

    /// <summary>Sequences B of the batch.</summary>
    public int Batch { get; private set; }

    /// <summary>Sorted position → batch index.</summary>
    public ReadOnlySpan<int> Order => _order;

    /// <summary>How many sequences are longer than step t (the active prefix of the sorted batch).</summary>
    public int Active(int step) => _active[step];

    /// <summary>Sorts a batch of <paramref name="steps"/> × <paramref name="batch"/> by <paramref name="lengths"/> (all full when null).</summary>
    public void Pack(int steps, int batch, int[]? lengths)
    {
        if (_order.Length != batch) _order = new int[batch];
        if (_active.Length != steps) _active = new int[steps];
        for (int b = 0; b < batch; b++) _order[b] = b;
        if (lengths is null)
        {
            _active.AsSpan().Fill(batch);
        }
        else
        {
            // Stable insertion sort, longest first: the active sequences of every step are then a prefix of the batch.
            for (int i = 1; i < batch; i++)
            {
                int entry = _order[i], j = i - 1;
                while (j >= 0 && lengths[_order[j]] < lengths[entry]) { _order[j + 1] = _order[j]; j--; }
                _order[j + 1] = entry;
            }
            int active = batch;
            for (int t = 0; t < steps; t++)
            {
                while (active > 0 && lengths[_order[active - 1]] <= t) active--;
                _active[t] = active;
            }
        }
        Steps = steps;
        Batch = batch;
    }

    /// <summary>Copies a (T, B, width) tensor from batch order into sorted order: row s of each step is batch entry Order[s].</summary>
    public void Sort<T>(ReadOnlySpan<T> batchOrder, Span<T> sorted, int width)
    {
        for (int t = 0; t < Steps; t++)
            for (int s = 0; s < Batch; s++)
                batchOrder.Slice((t * Batch + _order[s]) * width, width).CopyTo(sorted.Slice((t * Batch + s) * width, width));
    }

    /// <summary>Copies a (T, B, width) tensor from sorted order back into batch order.</summary>
    public void Unsort<T>(ReadOnlySpan<T> sorted, Span<T> batchOrder, int width)
    {
        for (int t = 0; t < Steps; t++)
            for (int s = 0; s < Batch; s++)
                sorted.Slice((t * Batch + s) * width, width).CopyTo(batchOrder.Slice((t * Batch + _order[s]) * width, width));
    }

    /// <summary>Copies a batch-first (B, T, width) tensor into sorted time-major order.</summary>
    public void SortBatchFirst<T>(ReadOnlySpan<T> batchFirst, Span<T> sorted, int width)
    {
        for (int t = 0; t < Steps; t++)
            for (int s = 0; s < Batch; s++)
                batchFirst.Slice((_order[s] * Steps + t) * width, width).CopyTo(sorted.Slice((t * Batch + s) * width, width));
    }

    /// <summary>Copies a time-major tensor from sorted order back into a batch-first (B, T, width) tensor.</summary>
    public void UnsortBatchFirst<T>(ReadOnlySpan<T> sorted, Span<T> batchFirst, int width)
    {
        for (int t = 0; t < Steps; t++)
            for (int s = 0; s < Batch; s++)
                sorted.Slice((t * Batch + s) * width, width).CopyTo(batchFirst.Slice((_order[s] * Steps + t) * width, width));
    }

    /// <summary>Copies one (B, width) block from sorted order back into batch order.</summary>
    public void UnsortRows<T>(ReadOnlySpan<T> sorted, Span<T> batchOrder, int width)
    {
        for (int s = 0; s < Batch; s++) sorted.Slice(s * width, width).CopyTo(batchOrder.Slice(_order[s] * width, width));
    }

    /// <summary>Copies block <paramref name="block"/> (B, width) of an (L·D, B, width) tensor into sorted order; zeros when there is none.</summary>
    public void SortRows<T>(T[]? source, int block, Span<T> sorted, int width)
    {
        if (source is null) { sorted.Clear(); return; }
        for (int s = 0; s < Batch; s++)
            source.AsSpan((block * Batch + _order[s]) * width, width).CopyTo(sorted.Slice(s * width, width));
    }
}

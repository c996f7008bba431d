namespace Workbench.Numerics;

/// <summary>
/// The state of one product while the worker pool runs its parts. One object per job type and calling thread is
/// reused for every product that thread starts, so starting a product allocates nothing; the operand pointers are
/// held only while the product runs.
/// </summary>
/// <remarks>A job type's Set fills <see cref="partition"/>, the operands and its own scalars; then <see cref="RunParts"/>.</remarks>
internal abstract unsafe class PartitionedJob<TSelf, T> : IGemmPartition
    where TSelf : PartitionedJob<TSelf, T>, new()
    where T : unmanaged
{
    [ThreadStatic] private static TSelf? perThread;

    /// <summary>How the product is split into parts.</summary>
    protected CPartition partition;

    /// <summary>The operands, valid only during <see cref="RunParts"/>.</summary>
    protected T* a, b, c;

    /// <summary>This thread's job object of this type.</summary>
    public static TSelf ForThisThread() => perThread ??= new TSelf();

    /// <summary>Runs every part on the pool (the caller included), then drops the operands, even on failure.</summary>
    public void RunParts()
    {
        try
        {
            GemmWorkers.Run(this, partition.Parts, partition.Threads);
        }
        finally
        {
            a = b = c = null;
        }
    }

    /// <inheritdoc/>
    public abstract void Run(int part);
}

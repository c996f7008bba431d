namespace Workbench.Numerics;

/// <summary>
/// Per-thread scratch for packed panels: pinned, 64-byte aligned, grown on demand and then reused, so that
/// products after warm-up allocate nothing. Freed with the thread.
/// </summary>
internal static unsafe class PackBuffers
{
    private const int Alignment = 64;

    [ThreadStatic] private static byte[]? bufferA;
    [ThreadStatic] private static byte[]? bufferB;
    [ThreadStatic] private static byte[]? bufferShared;

    /// <summary>Room for at least <paramref name="count"/> elements of T for A blocks.</summary>
    public static T* A<T>(long count) where T : unmanaged => (T*)Get(ref bufferA, count * sizeof(T));

    /// <summary>Room for at least <paramref name="count"/> elements of T for B panels.</summary>
    public static T* B<T>(long count) where T : unmanaged => (T*)Get(ref bufferB, count * sizeof(T));

    /// <summary>Room for at least <paramref name="count"/> elements of T for an operand packed once and read by every thread of a product.</summary>
    public static T* Shared<T>(long count) where T : unmanaged => (T*)Get(ref bufferShared, count * sizeof(T));

    private static byte* Get(ref byte[]? buffer, long bytes)
    {
        if (buffer is null || buffer.Length < bytes + Alignment)
            buffer = GC.AllocateUninitializedArray<byte>(checked((int)(bytes + Alignment)), pinned: true);
        // Pinned (POH) arrays never move, so the aligned address stays valid.
        byte* start = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref buffer[0]);
        return (byte*)(((nuint)start + Alignment - 1) & ~(nuint)(Alignment - 1));
    }
}

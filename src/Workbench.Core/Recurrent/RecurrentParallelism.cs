namespace Workbench.Recurrent;

/// <summary>Switches for tests and benchmarks that compare the side-by-side and one-after-the-other paths.</summary>
internal static class RecurrentParallelism
{
    /// <summary>When true, the two directions of a bidirectional layer always run one after the other.</summary>
    public static volatile bool SerialDirections;

    /// <summary>When true, a direction's forward loop never splits its batch rows across threads (each step splits its own work instead).</summary>
    public static volatile bool SerialRows;
}

namespace Workbench.Kernel.History;

/// <summary>The three kinds of history_request (its <c>hist_access_type</c>).</summary>
internal enum HistoryAccess
{
    /// <summary>The last n cells, over all sessions.</summary>
    Tail,

    /// <summary>Lines start (inclusive) to stop (exclusive) of one session.</summary>
    Range,

    /// <summary>The cells whose code matches a glob pattern.</summary>
    Search,
}

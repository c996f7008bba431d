using System.Text.Json.Nodes;

namespace Workbench.Kernel.History;

/// <summary>
/// The kernel's input history, as IPython keeps it: every cell that stores history (its line is its execution count)
/// is written to <see cref="SqliteHistoryStore"/> under this kernel's session, so history_request sees the cells of
/// earlier kernels too. The store is opened and written on a queue of its own, so a slow or locked file never delays
/// kernel_info or a cell; a query waits for the writes queued before it. A store that cannot be opened or written
/// (not a database, locked past the busy timeout, no native SQLite, a read-only folder) costs one line on the log and
/// no more: from then on the history is this session's, in memory.
/// </summary>
internal sealed class KernelHistory : IDisposable
{
    private readonly TextWriter _log;
    private readonly TimeSpan _busyTimeout;
    private readonly string? _path;
    private readonly List<HistoryEntry> _memory = new(); // this session's cells: the answer once the store is gone
    private readonly object _queueLock = new();
    private Task _queue;
    private SqliteHistoryStore? _store;
    private int _session = 1; // a kernel with no store is session 1, as IPython's in-memory history

    /// <summary>Starts opening the store at <paramref name="path"/> in the background (null: memory only).</summary>
    /// <param name="path">The history.sqlite file (<see cref="HistoryLocation.DefaultFile()"/>), or null.</param>
    /// <param name="log">Where the one-line warning goes when the file cannot be used.</param>
    /// <param name="busyTimeout">How long a write waits for another kernel's (3 s unless a test says otherwise).</param>
    public KernelHistory(string? path, TextWriter log, TimeSpan? busyTimeout = null)
    {
        _path = path;
        _log = log;
        _busyTimeout = busyTimeout ?? TimeSpan.FromSeconds(3);
        _queue = path is null ? Task.CompletedTask : Task.Run(() => Open(path));
    }

    /// <summary>True while cells go to the file (false before it opened, and after it failed).</summary>
    public bool IsPersistent => Run(() => _store is not null);

    /// <summary>This kernel's session number.</summary>
    public int Session => Run(() => _session);

    /// <summary>Queues the storing of one cell; returns at once.</summary>
    public void Record(int line, string source, string? output) => Enqueue(() =>
    {
        var entry = new HistoryEntry(_session, line, source, output);
        _memory.Add(entry);
        if (_store is { } store) Attempt("cannot store a cell", () => { store.Add(entry); return store; });
        return true;
    });

    /// <summary>The history_reply content for a history_request's content.</summary>
    public JsonObject Reply(JsonObject content)
    {
        HistoryQuery query;
        try
        {
            query = HistoryQuery.Parse(content);
        }
        catch (FormatException e)
        {
            return new JsonObject { ["status"] = "error", ["ename"] = "ValueError", ["evalue"] = e.Message, ["traceback"] = new JsonArray(e.Message) };
        }
        var entries = Run(() => (_store is { } store ? Attempt("cannot read the history", () => store.Query(query)) : null) ?? query.Apply(_memory, _session));
        return new JsonObject { ["status"] = "ok", ["history"] = query.ToJson(entries) };
    }

    private void Open(string path)
    {
        var store = Attempt("cannot open it", () => SqliteHistoryStore.Open(path, _busyTimeout));
        if (store is null) return;
        _store = store;
        _session = store.Session;
    }

    // Runs an operation on the store; on any failure, warns once and drops the store for the rest of the session.
    private T? Attempt<T>(string what, Func<T> operation) where T : class
    {
        try
        {
            return operation();
        }
        catch (Exception e)
        {
            var store = _store;
            _store = null;
            try { store?.Dispose(); } catch (Exception) { } // already failing: closing is best effort
            var reason = string.Join(' ', (e.InnerException ?? e).Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            _log.WriteLine($"workbench kernel: history file {_path} {what} ({reason}); history is kept in memory for this session only");
            return null;
        }
    }

    private Task<T> Enqueue<T>(Func<T> operation)
    {
        lock (_queueLock)
        {
            var next = _queue.ContinueWith(_ => operation(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            _queue = next;
            return next;
        }
    }

    private T Run<T>(Func<T> operation) => Enqueue(operation).GetAwaiter().GetResult();

    /// <summary>Waits for the queued writes (a few seconds at most), then closes the session in the store.</summary>
    public void Dispose()
    {
        var closing = Enqueue(() =>
        {
            _store?.Dispose();
            _store = null;
            return true;
        });
        closing.Wait(_busyTimeout + TimeSpan.FromSeconds(2));
    }
}

using Microsoft.Data.Sqlite;

namespace Workbench.Kernel.History;

/// <summary>
/// history.sqlite, laid out as IPython lays out its own: <c>sessions</c> (one row per kernel start, numbered by
/// SQLite), <c>history</c> (session, line, source, source_raw) and <c>output_history</c> (session, line, output).
/// Several kernels share the file: WAL journaling lets them read while one writes, and a busy timeout makes a writer
/// wait its turn instead of failing. Each kernel writes only the rows of its own session. Not thread-safe: the
/// kernel's <see cref="KernelHistory"/> calls it from one queue.
/// </summary>
internal sealed class SqliteHistoryStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private int _cells;

    private SqliteHistoryStore(SqliteConnection connection, int session)
    {
        _connection = connection;
        Session = session;
    }

    /// <summary>This kernel's session number.</summary>
    public int Session { get; }

    /// <summary>
    /// Opens (creating when missing) the store at <paramref name="path"/> and starts a new session in it. Throws
    /// <see cref="SqliteException"/> for a file that is not a database or stays locked past <paramref name="busyTimeout"/>.
    /// </summary>
    public static SqliteHistoryStore Open(string path, TimeSpan busyTimeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds}");
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, "PRAGMA synchronous = NORMAL");
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS sessions (session INTEGER PRIMARY KEY AUTOINCREMENT, start TIMESTAMP, end TIMESTAMP, num_cmds INTEGER, remark TEXT);
                CREATE TABLE IF NOT EXISTS history (session INTEGER, line INTEGER, source TEXT, source_raw TEXT, PRIMARY KEY (session, line));
                CREATE TABLE IF NOT EXISTS output_history (session INTEGER, line INTEGER, output TEXT, PRIMARY KEY (session, line));
                """);
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO sessions (start, remark) VALUES (datetime('now'), 'workbench-csharp') RETURNING session";
            var session = Convert.ToInt32(insert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            return new SqliteHistoryStore(connection, session);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Stores one cell of this session (a line stored again, after a failed write, replaces the first).</summary>
    public void Add(HistoryEntry entry)
    {
        using var transaction = _connection.BeginTransaction();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "INSERT OR REPLACE INTO history (session, line, source, source_raw) VALUES ($s, $l, $src, $src)";
            command.Parameters.AddWithValue("$s", Session);
            command.Parameters.AddWithValue("$l", entry.Line);
            command.Parameters.AddWithValue("$src", entry.Source);
            command.ExecuteNonQuery();
        }
        if (entry.Output is { } output)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT OR REPLACE INTO output_history (session, line, output) VALUES ($s, $l, $o)";
            command.Parameters.AddWithValue("$s", Session);
            command.Parameters.AddWithValue("$l", entry.Line);
            command.Parameters.AddWithValue("$o", output);
            command.ExecuteNonQuery();
        }
        transaction.Commit();
        _cells++;
    }

    /// <summary>Answers a query in SQL (the same results as <see cref="HistoryQuery.Apply"/> on the same rows).</summary>
    public IReadOnlyList<HistoryEntry> Query(HistoryQuery query)
    {
        const string Columns = "SELECT h.session, h.line, h.source_raw, o.output FROM history h LEFT JOIN output_history o ON o.session = h.session AND o.line = h.line";
        using var command = _connection.CreateCommand();
        var newestFirst = false;
        switch (query.Access)
        {
            case HistoryAccess.Tail:
                command.CommandText = $"{Columns} ORDER BY h.session DESC, h.line DESC LIMIT $n";
                command.Parameters.AddWithValue("$n", query.Count!.Value);
                newestFirst = true;
                break;
            case HistoryAccess.Range:
                var session = query.ResolveSession(Session);
                using (var last = _connection.CreateCommand())
                {
                    last.CommandText = "SELECT COALESCE(MAX(line), 0) FROM history WHERE session = $s";
                    last.Parameters.AddWithValue("$s", session);
                    var (from, to) = query.LineBounds(Convert.ToInt32(last.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
                    command.CommandText = $"{Columns} WHERE h.session = $s AND h.line >= $from AND h.line < $to ORDER BY h.line";
                    command.Parameters.AddWithValue("$s", session);
                    command.Parameters.AddWithValue("$from", from);
                    command.Parameters.AddWithValue("$to", to);
                }
                break;
            default:
                // unique: a row is kept when no later row (session, then line) has the same code.
                var unique = query.Unique
                    ? " AND NOT EXISTS (SELECT 1 FROM history l WHERE l.source_raw = h.source_raw AND (l.session > h.session OR (l.session = h.session AND l.line > h.line)))"
                    : "";
                command.CommandText = query.Count is not null
                    ? $"{Columns} WHERE h.source_raw GLOB $p{unique} ORDER BY h.session DESC, h.line DESC LIMIT $n"
                    : $"{Columns} WHERE h.source_raw GLOB $p{unique} ORDER BY h.session, h.line";
                command.Parameters.AddWithValue("$p", query.Pattern);
                if (query.Count is { } limit) command.Parameters.AddWithValue("$n", limit);
                newestFirst = query.Count is not null;
                break;
        }
        var rows = new List<HistoryEntry>();
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                rows.Add(new HistoryEntry(reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        if (newestFirst) rows.Reverse();
        return rows;
    }

    /// <summary>Closes the session (its end and cell count, as IPython records them) and the file.</summary>
    public void Dispose()
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "UPDATE sessions SET end = datetime('now'), num_cmds = $n WHERE session = $s";
            command.Parameters.AddWithValue("$n", _cells);
            command.Parameters.AddWithValue("$s", Session);
            command.ExecuteNonQuery();
        }
        catch (SqliteException) { } // the cells are stored; only the session's end is lost
        _connection.Dispose();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Workbench.Kernel.History;

namespace Workbench.Kernel.Tests.History;

/// <summary>
/// The kernel's history over its store: kept across kernels, shared by kernels writing at once, and a file that cannot
/// be used costs one warning line and leaves this session's history in memory.
/// </summary>
public sealed class KernelHistoryTests : IDisposable
{
    // Expected texts are written as read: no \u escapes for quotes and '+'.
    private static readonly System.Text.Json.JsonSerializerOptions PlainJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _folder = Directory.CreateTempSubdirectory("wb-history-").FullName;

    private string StorePath => Path.Combine(_folder, "workbench", "history.sqlite");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static JsonArray Tail(KernelHistory history, int n) =>
        history.Reply(new JsonObject { ["hist_access_type"] = "tail", ["n"] = n, ["output"] = true })["history"]!.AsArray();

    [Fact]
    public void TheNativeSqliteLoadsAndSpeaksWal()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "probe.sqlite")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        Assert.Equal("wal", (string?)command.ExecuteScalar());
        command.CommandText = "SELECT sqlite_version()";
        Assert.StartsWith("3.", (string?)command.ExecuteScalar());
    }

    [Fact]
    public void CellsOfEarlierKernelsAreKeptWithTheirSessions()
    {
        var log = new StringWriter();
        using (var first = new KernelHistory(StorePath, log))
        {
            Assert.True(first.IsPersistent);
            Assert.Equal(1, first.Session);
            first.Record(1, "var x = 1;", null);
            first.Record(2, "x + 1", "2");
        }
        using var second = new KernelHistory(StorePath, log);
        Assert.Equal(2, second.Session);
        second.Record(1, "x", null);
        Assert.Equal("""[[1,1,["var x = 1;",null]],[1,2,["x + 1","2"]],[2,1,["x",null]]]""", Tail(second, 10).ToJsonString(PlainJson));
        Assert.Equal("", log.ToString());
    }

    [Fact]
    public void KernelsWritingAtOnceKeepEveryCell()
    {
        const int Cells = 150;
        var log = new StringWriter();
        var histories = Enumerable.Range(0, 3).Select(_ => new KernelHistory(StorePath, TextWriter.Synchronized(log))).ToList();
        try
        {
            Parallel.ForEach(histories, h =>
            {
                var session = h.Session;
                for (var line = 1; line <= Cells; line++) h.Record(line, $"cell {line} of session {session}", line.ToString(System.Globalization.CultureInfo.InvariantCulture));
            });
            Assert.Equal(new[] { 1, 2, 3 }, histories.Select(h => h.Session).Order());
            foreach (var h in histories)
            {
                var mine = h.Reply(new JsonObject { ["hist_access_type"] = "range", ["session"] = 0, ["start"] = 1 })["history"]!.AsArray();
                Assert.Equal(Enumerable.Range(1, Cells).Select(l => $"cell {l} of session {h.Session}"), mine.Select(e => (string?)e![2]));
            }
            Assert.Equal(3 * Cells, Tail(histories[0], 10_000).Count);
            Assert.True(histories.All(h => h.IsPersistent));
            Assert.Equal("", log.ToString());
        }
        finally
        {
            foreach (var h in histories) h.Dispose();
        }
    }

    [Fact]
    public void ABrokenFileWarnsOnceAndKeepsTheSessionInMemory()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        var garbage = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(StorePath, garbage);
        var log = new StringWriter();
        using (var history = new KernelHistory(StorePath, log))
        {
            history.Record(1, "var y = 2;", null);
            history.Record(2, "y", "2");
            Assert.False(history.IsPersistent);
            Assert.Equal(1, history.Session);
            Assert.Equal("""[[1,1,["var y = 2;",null]],[1,2,["y","2"]]]""", Tail(history, 10).ToJsonString(PlainJson));
        }
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith($"workbench kernel: history file {StorePath} cannot open it (", lines[0]);
        Assert.EndsWith("history is kept in memory for this session only", lines[0].TrimEnd());
        Assert.Equal(garbage, File.ReadAllBytes(StorePath)); // the user's file is left as it was
    }

    [Fact]
    public void AStoreLockedByAnotherWriterWarnsOnceAndKeepsTheSessionInMemory()
    {
        using (var created = new KernelHistory(StorePath, TextWriter.Null)) created.Record(1, "before", null);
        // Another process holds the write lock for longer than the busy timeout.
        using var other = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        other.Open();
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }
        var log = new StringWriter();
        using var history = new KernelHistory(StorePath, log, busyTimeout: TimeSpan.FromMilliseconds(200));
        history.Record(1, "during", null);
        Assert.False(history.IsPersistent);
        Assert.Equal("""[[1,1,["during",null]]]""", Tail(history, 10).ToJsonString(PlainJson));
        var line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("locked", line);
    }

    [Fact]
    public void AnUnwritableFolderWarnsOnce()
    {
        var file = Path.Combine(_folder, "not-a-folder");
        File.WriteAllText(file, "");
        var log = new StringWriter();
        using var history = new KernelHistory(Path.Combine(file, "history.sqlite"), log);
        history.Record(1, "z", null);
        Assert.Equal("""[[1,1,["z",null]]]""", Tail(history, 10).ToJsonString(PlainJson));
        Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void ABadRequestIsAnErrorReply()
    {
        using var history = new KernelHistory(null, TextWriter.Null);
        var reply = history.Reply(new JsonObject { ["hist_access_type"] = "everything" });
        Assert.Equal("error", (string?)reply["status"]);
        Assert.Equal("history_request: hist_access_type must be tail, range or search, not 'everything'", (string?)reply["evalue"]);
    }

    [Fact]
    public void TheFolderFollowsXdgUnlessOverridden()
    {
        string File(params (string Name, string Value)[] variables) =>
            HistoryLocation.DefaultFile(name => variables.FirstOrDefault(v => v.Name == name).Value);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".local", "share", "workbench", "history.sqlite"), File());
        Assert.Equal("/data/xdg/workbench/history.sqlite", File(("XDG_DATA_HOME", "/data/xdg")));
        Assert.Equal(Path.Combine(home, ".local", "share", "workbench", "history.sqlite"), File(("XDG_DATA_HOME", "relative/is/ignored")));
        Assert.Equal("/tmp/elsewhere/history.sqlite", File(("XDG_DATA_HOME", "/data/xdg"), (HistoryLocation.Variable, "/tmp/elsewhere")));
    }
}

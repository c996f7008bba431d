using System.Text.Json.Nodes;
using Workbench.Kernel.History;

namespace Workbench.Kernel.Tests.History;

/// <summary>
/// history_request's three kinds on a store of three sessions: the SQLite store's answers are checked against IPython's
/// semantics written out by hand, and the in-memory fallback must give the same answers on the same rows.
/// </summary>
public sealed class HistoryQueryTests : IDisposable
{
    // Expected texts are written as read: no \u escapes for quotes and '+'.
    private static readonly System.Text.Json.JsonSerializerOptions PlainJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _folder = Directory.CreateTempSubdirectory("wb-history-q-").FullName;
    private readonly SqliteHistoryStore _store;
    private readonly List<HistoryEntry> _all = new();

    public HistoryQueryTests()
    {
        var path = Path.Combine(_folder, "history.sqlite");
        string[][] sessions =
        {
            new[] { "var a = 1;", "a + 1", "Math.Abs(-a)" },
            new[] { "var b = 2;", "b * 3", "a + 1", "Console.WriteLine(b);" },
        };
        foreach (var cells in sessions)
        {
            using var store = SqliteHistoryStore.Open(path, TimeSpan.FromSeconds(1));
            for (var i = 0; i < cells.Length; i++) Add(store, i + 1, cells[i]);
        }
        _store = SqliteHistoryStore.Open(path, TimeSpan.FromSeconds(1));
        Add(_store, 1, "var c = 3;");
        Add(_store, 2, "c - 1");
    }

    private void Add(SqliteHistoryStore store, int line, string source)
    {
        var entry = new HistoryEntry(store.Session, line, source, source.Contains(';') ? null : $"out {store.Session}.{line}");
        store.Add(entry);
        _all.Add(entry);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    public static TheoryData<string, string> Queries() => new()
    {
        { """{"hist_access_type":"tail","n":3}""", "2:4 3:1 3:2" },
        { """{"hist_access_type":"tail","n":4}""", "2:3 2:4 3:1 3:2" },
        { """{"hist_access_type":"tail"}""", "1:1 1:2 1:3 2:1 2:2 2:3 2:4 3:1 3:2" },
        { """{"hist_access_type":"tail","n":0}""", "" },
        { """{"hist_access_type":"range","session":0,"start":1}""", "3:1 3:2" },
        { """{"hist_access_type":"range","session":-1,"start":2,"stop":4}""", "2:2 2:3" },
        { """{"hist_access_type":"range","session":1,"start":1,"stop":0}""", "1:1 1:2 1:3" },
        { """{"hist_access_type":"range","session":-2,"start":-2}""", "1:2 1:3" },
        { """{"hist_access_type":"range","session":-1,"start":1,"stop":-1}""", "2:1 2:2 2:3" },
        { """{"hist_access_type":"range","session":-1,"start":3,"stop":99}""", "2:3 2:4" },
        { """{"hist_access_type":"range","session":7,"start":1}""", "" },
        { """{"hist_access_type":"search","pattern":"*a + 1*"}""", "1:2 2:3" },
        { """{"hist_access_type":"search","pattern":"*a + 1*","unique":true}""", "2:3" },
        { """{"hist_access_type":"search","pattern":"var ? = *"}""", "1:1 2:1 3:1" },
        { """{"hist_access_type":"search","pattern":"var ? = *","n":2}""", "2:1 3:1" },
        { """{"hist_access_type":"search","pattern":"[a-b] *"}""", "1:2 2:2 2:3" },
        { """{"hist_access_type":"search","pattern":"[^a-bv]*"}""", "1:3 2:4 3:2" },
        { """{"hist_access_type":"search","pattern":"MATH*"}""", "" },
        { """{"hist_access_type":"search","pattern":"*","unique":true,"n":3}""", "2:4 3:1 3:2" },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void SqliteAndMemoryGiveIPythonsAnswer(string request, string expected)
    {
        var query = HistoryQuery.Parse(JsonNode.Parse(request)!.AsObject());
        Assert.Equal(3, _store.Session);
        string Lines(IEnumerable<HistoryEntry> entries) => string.Join(' ', entries.Select(e => $"{e.Session}:{e.Line}"));
        Assert.Equal(expected, Lines(_store.Query(query)));
        Assert.Equal(expected, Lines(query.Apply(_all, _store.Session)));
    }

    [Fact]
    public void OutputFlagPairsEachInputWithItsOutput()
    {
        var plain = HistoryQuery.Parse(JsonNode.Parse("""{"hist_access_type":"range","session":0,"start":1,"output":false}""")!.AsObject());
        Assert.Equal("""[[3,1,"var c = 3;"],[3,2,"c - 1"]]""", plain.ToJson(_store.Query(plain)).ToJsonString(PlainJson));
        var withOutput = HistoryQuery.Parse(JsonNode.Parse("""{"hist_access_type":"range","session":0,"start":1,"output":true}""")!.AsObject());
        Assert.Equal("""[[3,1,["var c = 3;",null]],[3,2,["c - 1","out 3.2"]]]""", withOutput.ToJson(_store.Query(withOutput)).ToJsonString(PlainJson));
    }

    [Theory]
    [InlineData("""{}""", "history_request: hist_access_type is missing (tail, range or search)")]
    [InlineData("""{"hist_access_type":"all"}""", "history_request: hist_access_type must be tail, range or search, not 'all'")]
    [InlineData("""{"hist_access_type":"tail","n":-1}""", "history_request: n must not be negative (-1)")]
    [InlineData("""{"hist_access_type":"range","start":"1"}""", "history_request: start must be an integer, not \"1\"")]
    [InlineData("""{"hist_access_type":"search","unique":1}""", "history_request: unique must be true or false, not 1")]
    public void BadRequestsAreNamedInOneLine(string request, string message)
    {
        var e = Assert.Throws<FormatException>(() => HistoryQuery.Parse(JsonNode.Parse(request)!.AsObject()));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("a*c", "abc", true)]
    [InlineData("a*c", "a\nb\nc", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("[]x]", "]", true)]
    [InlineData("[^]x]", "]", false)]
    [InlineData("[a-c]", "-", false)]
    [InlineData("[a-]", "-", true)]
    [InlineData("(.+)", "(.+)", true)]
    [InlineData("(.+)", "(ab)", false)]
    [InlineData("[x", "[x", false)]
    [InlineData("[]", "[]", false)]
    public void GlobMatchesAsSqlite(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, HistoryQuery.GlobRegex(pattern).IsMatch(text));
        // The same question to SQLite itself: the fallback must agree with the store.
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT $t GLOB $p";
        command.Parameters.AddWithValue("$t", text);
        command.Parameters.AddWithValue("$p", pattern);
        Assert.Equal(expected ? 1L : 0L, (long)command.ExecuteScalar()!);
    }
}

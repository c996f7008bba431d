using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workbench.Kernel.History;

/// <summary>
/// A history_request's content (Jupyter messaging 5.3) and its meaning, with IPython's semantics: "tail" is the last
/// <see cref="Count"/> cells over all sessions; "range" is lines <see cref="Start"/> ≤ line &lt; <see cref="Stop"/> of
/// <see cref="Session"/> (0 the current session, negative counting back from it; a negative start or stop counts back
/// from the session's end, a missing or zero stop means its end); "search" is the cells whose code matches the glob
/// <see cref="Pattern"/> (SQLite GLOB: case-sensitive <c>*</c>, <c>?</c>, <c>[…]</c>), only the latest of equal codes
/// when <see cref="Unique"/>, the last <see cref="Count"/> when given. Results are in (session, line) order.
/// </summary>
internal sealed record HistoryQuery
{
    /// <summary>Which kind of request.</summary>
    public required HistoryAccess Access { get; init; }

    /// <summary>Whether each entry carries its output (<c>[session, line, [input, output]]</c>).</summary>
    public bool Output { get; init; }

    /// <summary>The raw input rather than the transformed one; the same here, as this kernel transforms no input.</summary>
    public bool Raw { get; init; } = true;

    /// <summary>tail: how many (IPython's default 10); search: at most how many, the latest (null: all).</summary>
    public int? Count { get; init; }

    /// <summary>range: the session, 0 the current one, negative relative to it.</summary>
    public int Session { get; init; }

    /// <summary>range: the first line.</summary>
    public int Start { get; init; } = 1;

    /// <summary>range: the line after the last (null or 0: to the end).</summary>
    public int? Stop { get; init; }

    /// <summary>search: the glob pattern.</summary>
    public string Pattern { get; init; } = "*";

    /// <summary>search: only the latest of entries with the same code.</summary>
    public bool Unique { get; init; }

    /// <summary>Reads a history_request's content. Throws <see cref="FormatException"/> naming the bad field.</summary>
    public static HistoryQuery Parse(JsonObject content)
    {
        var type = Text(content, "hist_access_type") ?? throw new FormatException("history_request: hist_access_type is missing (tail, range or search)");
        var access = type switch
        {
            "tail" => HistoryAccess.Tail,
            "range" => HistoryAccess.Range,
            "search" => HistoryAccess.Search,
            _ => throw new FormatException($"history_request: hist_access_type must be tail, range or search, not '{type}'"),
        };
        var count = Integer(content, "n");
        if (count < 0) throw new FormatException($"history_request: n must not be negative ({count})");
        return new HistoryQuery
        {
            Access = access,
            Output = Flag(content, "output") ?? false,
            Raw = Flag(content, "raw") ?? true,
            Count = access == HistoryAccess.Tail ? count ?? 10 : count,
            Session = Integer(content, "session") ?? 0,
            Start = Integer(content, "start") ?? 1,
            Stop = Integer(content, "stop"),
            Pattern = Text(content, "pattern") ?? "*",
            Unique = Flag(content, "unique") ?? false,
        };
    }

    /// <summary>The absolute session a range asks for, given the current one.</summary>
    public int ResolveSession(int current) => Session <= 0 ? Session + current : Session;

    /// <summary>
    /// The line bounds [from, to) of a range in a session whose last line is <paramref name="lastLine"/>
    /// (IPython's arithmetic: relative bounds count back from lastLine + 1).
    /// </summary>
    public (int From, int To) LineBounds(int lastLine)
    {
        var end = lastLine + 1;
        var from = Start < 0 ? Start + end : Start;
        var to = Stop is not { } stop || stop == 0 || stop > end ? end : stop < 0 ? stop + end : stop;
        return (from, to);
    }

    /// <summary>Applies the query to entries in memory (the store's fallback; the SQLite store answers in SQL).</summary>
    public IReadOnlyList<HistoryEntry> Apply(IEnumerable<HistoryEntry> entries, int currentSession)
    {
        var ordered = entries.OrderBy(e => e.Session).ThenBy(e => e.Line).ToList();
        switch (Access)
        {
            case HistoryAccess.Tail:
                return ordered.Skip(Math.Max(0, ordered.Count - Count!.Value)).ToList();
            case HistoryAccess.Range:
                var session = ResolveSession(currentSession);
                var lines = ordered.Where(e => e.Session == session).ToList();
                var (from, to) = LineBounds(lines.Count == 0 ? 0 : lines.Max(e => e.Line));
                return lines.Where(e => e.Line >= from && e.Line < to).ToList();
            default:
                var glob = GlobRegex(Pattern);
                var found = ordered.Where(e => glob.IsMatch(e.Source)).ToList();
                if (Unique)
                {
                    var latest = new HashSet<HistoryEntry>(found.GroupBy(e => e.Source, StringComparer.Ordinal).Select(g => g.Last()));
                    found = found.Where(latest.Contains).ToList();
                }
                return Count is { } n ? found.Skip(Math.Max(0, found.Count - n)).ToList() : found;
        }
    }

    /// <summary>The entries as history_reply's <c>history</c> list.</summary>
    public JsonArray ToJson(IEnumerable<HistoryEntry> entries)
    {
        var list = new JsonArray();
        foreach (var e in entries)
            list.Add(new JsonArray(e.Session, e.Line, Output ? new JsonArray(e.Source, e.Output) : JsonValue.Create(e.Source)));
        return list;
    }

    // SQLite's GLOB as a regular expression: * any text (newlines too), ? one character, [set] with ^ for "not", ranges
    // a-z and a ] first in the set taken literally (a set never closed matches nothing); everything else literal and
    // case-sensitive.
    internal static Regex GlobRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*') sb.Append("[\\s\\S]*");
            else if (c == '?') sb.Append("[\\s\\S]");
            else if (c == '[' && SetEnd(pattern, i) is var close)
            {
                if (close < 0) return new Regex("(?!)"); // SQLite: a set never closed matches nothing
                var first = i + 1;
                sb.Append('[');
                if (pattern[first] == '^') { sb.Append('^'); first++; }
                for (var j = first; j < close; j++)
                    sb.Append(pattern[j] == '-' && j > first && j + 1 < close ? "-" : Literal(pattern[j]));
                sb.Append(']');
                i = close;
            }
            else sb.Append(Literal(c));
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    // The index of the ] that closes the set opened at `open`, or -1.
    private static int SetEnd(string pattern, int open)
    {
        var j = open + 1;
        if (j < pattern.Length && pattern[j] == '^') j++;
        if (j < pattern.Length && pattern[j] == ']') j++;
        return j < pattern.Length ? pattern.IndexOf(']', j) : -1;
    }

    private static string Literal(char c) => char.IsAsciiLetterOrDigit(c) ? c.ToString() : $"\\u{(int)c:X4}";

    private static string? Text(JsonObject content, string name) => content[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        var other => throw new FormatException($"history_request: {name} must be a string, not {other.ToJsonString()}"),
    };

    private static bool? Flag(JsonObject content, string name) => content[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out bool b) => b,
        var other => throw new FormatException($"history_request: {name} must be true or false, not {other.ToJsonString()}"),
    };

    private static int? Integer(JsonObject content, string name) => content[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out int i) => i,
        JsonValue v when v.TryGetValue(out double d) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue => (int)d,
        var other => throw new FormatException($"history_request: {name} must be an integer, not {other.ToJsonString()}"),
    };
}

using Workbench.Notebooks.Mime;
using System.Collections;
using System.Reflection;
using System.Text;

namespace Workbench.Notebooks.Formatting;

/// <summary>
/// Sequences: records, anonymous objects and other types with public properties become a table (HTML and aligned
/// text, one column per property); other elements a bracketed list. Only the first rows are enumerated, so long or
/// lazy sequences stay cheap.
/// </summary>
internal static class SequenceView
{
    public static MimeBundle Format(IEnumerable sequence, int maxRows)
    {
        maxRows = Math.Max(0, maxRows);
        var items = new List<object?>();
        var truncated = false;
        foreach (var item in sequence)
        {
            if (items.Count == maxRows) { truncated = true; break; }
            items.Add(item);
        }
        long? total = sequence is ICollection collection ? collection.Count : null;
        var more = total is { } t ? t - items.Count : (long?)null;

        var elementType = ElementType(sequence.GetType(), items);
        var members = elementType is null ? [] : Columns(elementType);
        return members.Count > 0
            ? Table(items, members, truncated, more, total)
            : MimeBundle.PlainText(List(items, truncated, more));
    }

    private static string MoreNote(long? more) => more is { } m ? $"… {m} more {(m == 1 ? "row" : "rows")}" : "… more rows";

    private static MimeBundle Table(List<object?> items, List<MemberInfo> members, bool truncated, long? more, long? total)
    {
        var html = new StringBuilder(HtmlText.TableOpen).Append("<thead><tr>");
        foreach (var m in members) html.Append("<th>").Append(HtmlText.Encode(m.Name)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        var text = new List<string[]> { members.Select(m => m.Name).ToArray() };
        foreach (var item in items)
        {
            var cells = members.Select(m => HtmlText.Cell(Read(m, item))).ToArray();
            text.Add(cells);
            html.Append("<tr>");
            foreach (var c in cells) html.Append("<td>").Append(HtmlText.Encode(c)).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        var plain = new StringBuilder(HtmlText.AlignColumns(text));
        if (truncated)
        {
            html.Append("<p>").Append(HtmlText.Encode(MoreNote(more))).Append("</p>");
            plain.Append('\n').Append(MoreNote(more));
        }
        if (total is { } n) html.Append("<p>").Append(n).Append(n == 1 ? " row" : " rows").Append("</p>");
        return new MimeBundle().Add("text/html", html.ToString()).Add("text/plain", plain.ToString());
    }

    private static string List(List<object?> items, bool truncated, long? more)
    {
        var parts = items.Select(i => i is string s ? "\"" + s + "\"" : HtmlText.Cell(i)).ToList();
        if (truncated) parts.Add(more is { } m ? $"… ({m} more)" : "…");
        // Spaced inside the brackets as .NET Interactive writes sequences ("[ 1, 2, 3 ]"), so outputs read the same.
        return parts.Count == 0 ? "[ ]" : "[ " + string.Join(", ", parts) + " ]";
    }

    private static object? Read(MemberInfo member, object? item)
    {
        if (item is null) return null;
        try
        {
            return member switch
            {
                PropertyInfo p => p.DeclaringType!.IsInstanceOfType(item) ? p.GetValue(item) : null,
                FieldInfo f => f.DeclaringType!.IsInstanceOfType(item) ? f.GetValue(item) : null,
                _ => null,
            };
        }
        catch (TargetInvocationException e)
        {
            return $"<{e.InnerException?.GetType().Name ?? "error"}>";
        }
    }

    /// <summary>The declared element type (IEnumerable&lt;T&gt;), or the common runtime type of the items.</summary>
    private static Type? ElementType(Type sequenceType, List<object?> items)
    {
        var declared = sequenceType.IsArray ? sequenceType.GetElementType() : sequenceType.GetInterfaces()
            .Concat([sequenceType])
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            .Select(i => i.GetGenericArguments()[0]).FirstOrDefault();
        if (declared is not null && declared != typeof(object)) return declared;
        var runtime = items.Where(i => i is not null).Select(i => i!.GetType()).Distinct().ToList();
        return runtime.Count == 1 ? runtime[0] : null;
    }

    /// <summary>Public readable properties and public fields of a record-like type; none for scalars.</summary>
    private static List<MemberInfo> Columns(Type type)
    {
        if (IsScalar(type)) return [];
        var members = new List<MemberInfo>();
        members.AddRange(type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract"));
        members.AddRange(type.GetFields(BindingFlags.Public | BindingFlags.Instance));
        return members;
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid)
            || type == typeof(Half) || typeof(IEnumerable).IsAssignableFrom(type) || type.IsPointer;
    }
}

using Microsoft.DotNet.Interactive.Formatting;
using Workbench.Notebooks.Execution;

namespace Workbench.Notebooks.Formatting;

/// <summary>
/// The bridge to .NET Interactive's <see cref="Formatter"/> (package Microsoft.DotNet.Interactive.Formatting), which
/// notebook cells written for Polyglot Notebooks call: <c>Formatter.Register</c>, <c>x.Display()</c>,
/// <c>s.DisplayAs(mime)</c>, <c>x.ToDisplayString(mime)</c>.
/// </summary>
/// <remarks>
/// Precedence when a session formats a value: a hand-made <see cref="MimeBundle"/> as it is; then formatters the user
/// registered with <c>Formatter.Register</c> for the value's type (or a base type or interface), one MIME type each;
/// then the <see cref="FormatterRegistry"/> (built-ins and <c>Formatters.Register</c>). Explicit MIME types
/// (<c>display(x, "text/html")</c>, <c>x.Display("text/html")</c>) take each type from the registry when it has a
/// formatter of its own for the value's type and no user registration applies, otherwise from <see cref="Formatter"/>,
/// so ordinary objects format as in .NET Interactive. <see cref="Formatter"/> is process-wide, as it is there.
/// </remarks>
internal static class InteractiveFormatter
{
    private static int _routed;

    /// <summary>Sends <c>Display()</c>/<c>DisplayAs()</c> and their <c>Update</c> calls to the session of the calling cell (once per process).</summary>
    public static void RouteDisplays()
    {
        if (Interlocked.Exchange(ref _routed, 1) == 1) return;
        Formatter.SubscribeToDisplayedValues(OnDisplayed);
    }

    // Display ids of the values shown so far, and whether each was shown without MIME types (formatted as display(x)).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DisplayedValue, Shown> Ids = new();

    private sealed record Shown(string Id, bool Implicit);

    /// <summary><c>x.Display(mimeTypes)</c>: shown in the running cell (formatted as display(x) when no MIME types are given).</summary>
    public static DisplayedValue Show(object? value, string[] mimeTypes)
    {
        var session = NotebookSession.Current;
        if (session is null) return DisplayExtensions.Display(value!, mimeTypes);
        var formatted = mimeTypes.Length == 0 ? Array.Empty<FormattedValue>() : FormattedValue.CreateManyFromObject(value!, mimeTypes);
        var shown = new DisplayedValue(value!, formatted);
        var entry = new Shown(Guid.NewGuid().ToString(), Implicit: mimeTypes.Length == 0);
        Ids.AddOrUpdate(shown, entry);
        session.Display(entry.Implicit ? session.Format(value) : Select(session.Formatters, value, formatted), entry.Id);
        return shown;
    }

    /// <summary><c>s.DisplayAs(mimeType)</c>: the string as content of that one MIME type.</summary>
    public static DisplayedValue ShowAs(string value, string mimeType)
    {
        var session = NotebookSession.Current;
        if (session is null) return DisplayExtensions.DisplayAs(value, mimeType);
        var shown = new DisplayedValue(value, new[] { new FormattedValue(mimeType, value) });
        var entry = new Shown(Guid.NewGuid().ToString(), Implicit: false);
        Ids.AddOrUpdate(shown, entry);
        session.Display(new MimeBundle().Add(mimeType, value), entry.Id);
        return shown;
    }

    // Every DisplayedValue.Update comes here through Formatter's event (and Display() calls compiled against the
    // package's own extensions). The session keeps one display id per value shown.
    private static void OnDisplayed(DisplayedValue shown)
    {
        var session = NotebookSession.Current;
        if (session is null)
        {
            Formatter.WriteToConsole(shown);
            return;
        }
        var entry = Ids.GetValue(shown, _ => new Shown(Guid.NewGuid().ToString(), Implicit: false));
        var bundle = entry.Implicit ? session.Format(shown.Value) : Select(session.Formatters, shown.Value, shown.FormattedValues);
        if (shown.IsUpdated) session.UpdateDisplay(bundle, entry.Id);
        else session.Display(bundle, entry.Id);
    }

    /// <summary>The value formatted for exactly <paramref name="mimeTypes"/> (see the remarks for which formatter gives each).</summary>
    public static MimeBundle FormatAs(FormatterRegistry registry, object? value, IReadOnlyList<string> mimeTypes) =>
        Select(registry, value, FormattedValue.CreateManyFromObject(value!, mimeTypes.ToArray()));

    private static MimeBundle Select(FormatterRegistry registry, object? value, IReadOnlyList<FormattedValue> formatted)
    {
        var ours = value switch
        {
            MimeBundle b => registry.Format(b),
            null => null,
            _ when registry.HasFormatterFor(value.GetType()) && UserMimeTypes(value.GetType()).Count == 0 => registry.Format(value),
            _ => null,
        };
        var bundle = new MimeBundle();
        foreach (var v in formatted)
        {
            if (ours is not null && ours.Data.TryGetValue(v.MimeType, out var node)) bundle.AddJson(v.MimeType, node.DeepClone());
            else bundle.Add(v.MimeType, v.Value);
        }
        return bundle;
    }

    /// <summary>The value formatted by the user's <c>Formatter.Register</c> formatters, or null when none applies to its type.</summary>
    public static MimeBundle? FormatUserRegistered(object value)
    {
        var mimeTypes = UserMimeTypes(value.GetType());
        if (mimeTypes.Count == 0) return null;
        var bundle = new MimeBundle();
        foreach (var mime in mimeTypes) bundle.Add(mime, value.ToDisplayString(mime));
        return bundle;
    }

    // Registrations are a stack (latest first): reversed, the MIME types come in the order the user registered them.
    private static List<string> UserMimeTypes(Type type) =>
        Formatter.RegisteredFormatters(includeDefaults: false).Reverse()
            .Where(f => Applies(f.Type, type)).Select(f => f.MimeType).Distinct(StringComparer.Ordinal).ToList();

    private static bool Applies(Type registered, Type actual)
    {
        if (registered.IsAssignableFrom(actual)) return true;
        if (!registered.IsGenericTypeDefinition) return false;
        for (var t = actual; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition() == registered) return true;
        return actual.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == registered);
    }
}

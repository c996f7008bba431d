namespace Workbench.Notebooks.Formatting;

/// <summary>
/// Maps a value's type to its MIME representations. The most specific registered type wins (exact type, then base
/// classes, then interfaces); a later registration for the same type replaces an earlier one. text/plain is always present.
/// </summary>
public sealed class FormatterRegistry
{
    private readonly Dictionary<Type, Func<object, MimeBundle>> _formatters = new();

    /// <summary>Registers a formatter for <typeparamref name="T"/> and its subtypes.</summary>
    public void Register<T>(Func<T, MimeBundle> formatter) => Register(typeof(T), o => formatter((T)o));

    /// <summary>Registers a formatter for <paramref name="type"/> and its subtypes.</summary>
    public void Register(Type type, Func<object, MimeBundle> formatter)
    {
        lock (_formatters) _formatters[type] = formatter;
    }

    /// <summary>Formats a value; null formats as "null".</summary>
    public MimeBundle Format(object? value)
    {
        if (value is null) return MimeBundle.PlainText("null");
        var formatter = Find(value.GetType());
        var bundle = formatter is null ? new MimeBundle() : formatter(value);
        if (!bundle.Data.ContainsKey("text/plain")) bundle.Add("text/plain", value.ToString() ?? "");
        return bundle;
    }

    private Func<object, MimeBundle>? Find(Type type)
    {
        lock (_formatters)
        {
            for (var t = type; t is not null; t = t.BaseType)
                if (_formatters.TryGetValue(t, out var f)) return f;
            foreach (var i in type.GetInterfaces())
                if (_formatters.TryGetValue(i, out var f)) return f;
            return null;
        }
    }
}

namespace Workbench.Notebooks.Languages;

/// <summary>
/// A value on its way from one kernel to another. A .NET kernel gives the object itself (C# and F# then share the
/// same instance); a kernel in another process gives its JSON text (<see cref="Json"/>), and the receiving .NET kernel
/// converts it with <see cref="ValueConversion"/>. A literal from <c>#!set --value text</c> or a <c>#!value</c> cell is
/// a string with its MIME type.
/// </summary>
/// <param name="Object">The .NET object, when the value lives in this process.</param>
/// <param name="Json">The value as JSON, when it came from another process (or was asked for as JSON).</param>
/// <param name="TypeName">The type as the source kernel names it, for messages and <c>#!whos</c>.</param>
/// <param name="MimeType">The MIME type of a literal or formatted value ("text/plain", "application/json").</param>
public sealed record KernelValue(object? Object, string? Json, string TypeName, string? MimeType = null)
{
    /// <summary>True when the value is JSON text rather than a live object.</summary>
    public bool IsJson => Json is not null && Object is null;

    /// <summary>A live .NET object.</summary>
    public static KernelValue FromObject(object? value) => new(value, null, value?.GetType().FullName ?? "null");

    /// <summary>JSON from another process.</summary>
    public static KernelValue FromJson(string json, string typeName) => new(null, json, typeName, "application/json");
}

using Workbench.Notebooks.Languages;

namespace Workbench.Notebooks.Magics;

/// <summary>
/// Where a shared value comes from, as magics write it: <c>@kernel:name</c> reads a variable of another kernel
/// (<c>@csharp:x</c>, <c>@python:y</c>, <c>@value:v</c>); anything else is a literal string.
/// </summary>
internal static class ValueSource
{
    public static async Task<KernelValue> ResolveAsync(MagicContext context, string text)
    {
        if (text.Length < 2 || text[0] != '@' || text.IndexOf(':') < 2)
            return new KernelValue(text, null, typeof(string).FullName!, "text/plain");
        var colon = text.IndexOf(':');
        var kernelName = text[1..colon];
        var name = text[(colon + 1)..];
        return await ReadAsync(context, kernelName, name).ConfigureAwait(false);
    }

    public static async Task<KernelValue> ReadAsync(MagicContext context, string kernelName, string name)
    {
        var kernel = context.Session.GetKernel(kernelName);
        return await kernel.GetValueAsync(name, context.Cancellation).ConfigureAwait(false)
            ?? throw context.Fail($"the {kernel.Info.Name} kernel has no variable '{name}'");
    }

    /// <summary>The value as the MIME type asks: JSON text for application/json, else as it is.</summary>
    public static KernelValue As(KernelValue value, string? mimeType, MagicContext context)
    {
        if (mimeType is null) return value;
        if (mimeType != "application/json" && mimeType != "text/plain")
            throw context.Fail($"--mime-type {mimeType} is not supported (application/json or text/plain)");
        if (mimeType == "text/plain") return new KernelValue(VariableText.Of(value.Object ?? value.Json), null, typeof(string).FullName!, mimeType);
        return value.IsJson ? value : KernelValue.FromJson(ValueConversion.ToJson(value.Object), value.TypeName);
    }
}

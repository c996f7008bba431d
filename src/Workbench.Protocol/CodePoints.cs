namespace Workbench.Protocol;

/// <summary>Jupyter counts cursor positions in Unicode code points; .NET strings index UTF-16 units.</summary>
public static class CodePoints
{
    /// <summary>The UTF-16 index of code point <paramref name="codePoints"/> in <paramref name="text"/>.</summary>
    public static int ToUtf16Index(string text, int codePoints)
    {
        var i = 0;
        for (var n = 0; n < codePoints && i < text.Length; n++)
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
        return i;
    }

    /// <summary>The number of code points before UTF-16 index <paramref name="utf16Index"/>.</summary>
    public static int FromUtf16Index(string text, int utf16Index)
    {
        var n = 0;
        for (var i = 0; i < utf16Index && i < text.Length; n++)
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
        return n;
    }
}

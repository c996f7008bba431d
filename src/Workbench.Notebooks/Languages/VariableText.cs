using System.Globalization;

namespace Workbench.Notebooks.Languages;

/// <summary>The short one-line text of a value that <c>#!whos</c> shows.</summary>
public static class VariableText
{
    private const int MaxLength = 80;

    /// <summary>The value's invariant-culture text on one line, cut to 80 characters.</summary>
    public static string Of(object? value)
    {
        string text;
        try
        {
            text = value switch
            {
                null => "null",
                string s => s,
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
        }
        catch (Exception e)
        {
            text = $"<{e.GetType().Name} in ToString>";
        }
        text = text.ReplaceLineEndings(" ");
        return text.Length <= MaxLength ? text : text[..(MaxLength - 1)] + "…";
    }
}

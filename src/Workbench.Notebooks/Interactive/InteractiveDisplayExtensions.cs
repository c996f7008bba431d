using Microsoft.DotNet.Interactive.Formatting;
using Workbench.Notebooks.Formatting;

/// <summary>
/// <c>x.Display()</c>, <c>x.Display("text/html")</c> and <c>s.DisplayAs("text/markdown")</c> in notebook cells: show the
/// value now and return a <see cref="DisplayedValue"/> whose <c>Update(newValue)</c> replaces that same output.
/// </summary>
/// <remarks>
/// In the global namespace on purpose: C# looks for extension methods in the global namespace before the imported ones,
/// so these win over .NET Interactive's <c>System.DisplayExtensions</c> (same signatures, same results), whose
/// returned value is not the one it displayed, so that its <c>Update</c> would add an output instead of replacing it.
/// </remarks>
public static class InteractiveDisplayExtensions
{
    /// <summary>Displays a value as the session formats it (as <c>display(x)</c> does).</summary>
    public static DisplayedValue Display(this object? value) => InteractiveFormatter.Show(value, Array.Empty<string>());

    /// <summary>Displays a value formatted for exactly these MIME types.</summary>
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) => InteractiveFormatter.Show(value, mimeTypes);

    /// <summary>Displays a string as content of one MIME type ("text/markdown", "text/html", …).</summary>
    public static DisplayedValue DisplayAs(this string value, string mimeType) => InteractiveFormatter.ShowAs(value, mimeType);
}

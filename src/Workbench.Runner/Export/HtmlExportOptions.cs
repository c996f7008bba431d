namespace Workbench.Runner.Export;

/// <summary>Options of <see cref="HtmlExporter"/>.</summary>
public sealed record HtmlExportOptions
{
    /// <summary>The page title; the first Markdown heading (or "Notebook") when null.</summary>
    public string? Title { get; init; }

    /// <summary>Show code cells' source (false: outputs only, as a report).</summary>
    public bool IncludeCode { get; init; } = true;
}

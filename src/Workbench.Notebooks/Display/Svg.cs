using Workbench.Notebooks.Mime;

namespace Workbench.Notebooks.Display;

/// <summary>An SVG image (image/svg+xml) from its markup, e.g. <c>new Svg("&lt;svg …&gt;…&lt;/svg&gt;")</c>.</summary>
/// <param name="Markup">The SVG document or element.</param>
public sealed record Svg(string Markup) : IMimeRenderable
{
    /// <summary>Reads an SVG file.</summary>
    public static Svg FromFile(string path) => new(File.ReadAllText(path));

    /// <inheritdoc/>
    public MimeBundle ToMimeBundle() => new MimeBundle().Add("image/svg+xml", Markup).Add("text/plain", "<SVG image>");

    /// <summary>A short description (the markup can be long).</summary>
    public override string ToString() => "<SVG image>";
}

using Workbench.Notebooks.Mime;

namespace Workbench.Notebooks.Display;

/// <summary>Raw HTML shown as is (text/html), e.g. <c>new Html("&lt;b&gt;done&lt;/b&gt;")</c>. The caller escapes any text in it.</summary>
/// <param name="Content">The HTML fragment.</param>
public sealed record Html(string Content) : IMimeRenderable
{
    /// <inheritdoc/>
    public MimeBundle ToMimeBundle() => new MimeBundle().Add("text/html", Content).Add("text/plain", Content);

    /// <summary>The HTML fragment.</summary>
    public override string ToString() => Content;
}

using Workbench.Notebooks.Mime;

namespace Workbench.Notebooks.Display;

/// <summary>Markdown text shown rendered (text/markdown), e.g. <c>new Markdown("**loss** fell to 0.1")</c>.</summary>
/// <param name="Text">The Markdown source (CommonMark with pipe tables and $math$, as Jupyter renders it).</param>
public sealed record Markdown(string Text) : IMimeRenderable
{
    /// <inheritdoc/>
    public MimeBundle ToMimeBundle() => new MimeBundle().Add("text/markdown", Text).Add("text/plain", Text);

    /// <summary>The Markdown source.</summary>
    public override string ToString() => Text;
}

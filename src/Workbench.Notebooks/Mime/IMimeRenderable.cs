
namespace Workbench.Notebooks.Mime;

/// <summary>
/// A value that knows its own MIME representations. The default <see cref="Formatting.FormatterRegistry"/> formats any
/// implementation with <see cref="ToMimeBundle"/>: implement it on your own types as an alternative to
/// <see cref="Formatting.FormatterRegistry.Register{T}(Func{T, MimeBundle})"/>.
/// </summary>
public interface IMimeRenderable
{
    /// <summary>The representations of this value (text/plain is added from ToString() when missing).</summary>
    MimeBundle ToMimeBundle();
}

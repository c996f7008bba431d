using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Display;

/// <summary>
/// A value that knows its own MIME representations. The default <see cref="FormatterRegistry"/> formats any
/// implementation with <see cref="ToMimeBundle"/>: implement it on your own types as an alternative to
/// <see cref="FormatterRegistry.Register{T}(Func{T, MimeBundle})"/>.
/// </summary>
public interface IMimeRenderable
{
    /// <summary>The representations of this value (text/plain is added from ToString() when missing).</summary>
    MimeBundle ToMimeBundle();
}

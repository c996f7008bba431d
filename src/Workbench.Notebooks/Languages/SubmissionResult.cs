using Workbench.Notebooks.Mime;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Languages;

/// <summary>What one submission produced: the formatted trailing value, or the error that stopped it.</summary>
public sealed record SubmissionResult(MimeBundle? Value, CellError? Error, bool Cancelled = false)
{
    /// <summary>A submission that ran to the end with no value.</summary>
    public static SubmissionResult Empty { get; } = new(null, null);

    /// <summary>A failed submission.</summary>
    public static SubmissionResult Failed(CellError error, bool cancelled = false) => new(null, error, cancelled);
}

using Workbench.Notebooks.Completion;

namespace Workbench.Notebooks.Languages;

/// <summary>
/// What a kernel offers to an editor: completions and a description of the symbol at the cursor. A kernel that
/// implements it gets complete_request and inspect_request for cell parts in its language; offsets are UTF-16
/// indices into the part's code.
/// </summary>
public interface ILanguageCompletion
{
    /// <summary>Completions at <paramref name="cursor"/>.</summary>
    Task<CompletionResult> CompleteAsync(string code, int cursor, CancellationToken cancellationToken);

    /// <summary>The signature and documentation of the symbol at <paramref name="cursor"/>, or null.</summary>
    Task<string?> InspectAsync(string code, int cursor, CancellationToken cancellationToken);
}

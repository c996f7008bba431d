namespace Workbench.Notebooks.Languages;

/// <summary>
/// One language of a polyglot session: C#, F#, a connected Jupyter kernel, or a front-end language (Markdown, HTML,
/// JavaScript, Mermaid). The session splits each cell into submissions at its language magics (<c>#!fsharp</c>, …) and
/// hands each submission to the kernel it names; values cross between kernels through <see cref="GetValueAsync"/> and
/// <see cref="SetValueAsync"/>.
/// </summary>
public interface ILanguageKernel : IDisposable
{
    /// <summary>Who this kernel is: its magic name, aliases and language.</summary>
    LanguageKernelInfo Info { get; }

    /// <summary>Runs one submission. Side outputs (streams, displays) go to <see cref="Submission.Output"/> as they happen.</summary>
    Task<SubmissionResult> SubmitAsync(Submission submission, CancellationToken cancellationToken);

    /// <summary>The value of a variable, or null when the kernel has no variable of that name.</summary>
    /// <exception cref="ValueSharingException">The variable exists but its value cannot leave this kernel.</exception>
    Task<KernelValue?> GetValueAsync(string name, CancellationToken cancellationToken);

    /// <summary>Declares or overwrites a variable with a value that came from another kernel (or a literal).</summary>
    /// <exception cref="ValueSharingException">The value cannot be represented in this kernel.</exception>
    Task SetValueAsync(string name, KernelValue value, CancellationToken cancellationToken);

    /// <summary>The variables a user defined, in declaration order (for <c>#!who</c> and <c>#!whos</c>).</summary>
    Task<IReadOnlyList<VariableInfo>> GetVariablesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Completes when the kernel has done, in the background, the slow work its first submission would otherwise wait
    /// for (C#: Roslyn's first compilation; F#: starting F# Interactive and a first evaluation). Kernels with nothing
    /// to warm complete at once.
    /// </summary>
    Task WarmAsync() => Task.CompletedTask;
}

using Workbench.Notebooks.Mime;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Languages.FrontEnd;

/// <summary>
/// A language the front end renders rather than the kernel runs: Markdown, HTML, JavaScript and Mermaid. A cell of
/// one becomes a display output that Jupyter, VS Code and the exported HTML render with no network.
/// </summary>
public sealed class FrontEndKernel : ILanguageKernel
{
    private readonly Func<string, MimeBundle> _render;

    private FrontEndKernel(LanguageKernelInfo info, Func<string, MimeBundle> render)
    {
        Info = info;
        _render = render;
    }

    /// <summary>The four front-end languages.</summary>
    public static IEnumerable<FrontEndKernel> All()
    {
        yield return new(new("markdown", new[] { "md" }, "Markdown", null, "Render the text that follows as Markdown"), FrontEndRendering.Markdown);
        yield return new(new("html", Array.Empty<string>(), "HTML", null, "Show the HTML that follows"), FrontEndRendering.Html);
        yield return new(new("javascript", new[] { "js" }, "JavaScript", null, "Run the JavaScript that follows in the front end"), FrontEndRendering.JavaScript);
        yield return new(new("mermaid", Array.Empty<string>(), "Mermaid", null, "Draw the Mermaid diagram that follows"), FrontEndRendering.Mermaid);
    }

    /// <inheritdoc/>
    public LanguageKernelInfo Info { get; }

    /// <inheritdoc/>
    public Task<SubmissionResult> SubmitAsync(Submission submission, CancellationToken cancellationToken)
    {
        var text = submission.Code.Trim('\n', '\r');
        if (text.Trim().Length > 0) submission.Output.Display(_render(text), null);
        return Task.FromResult(SubmissionResult.Empty);
    }

    /// <inheritdoc/>
    public Task<KernelValue?> GetValueAsync(string name, CancellationToken cancellationToken) => Task.FromResult<KernelValue?>(null);

    /// <inheritdoc/>
    public Task SetValueAsync(string name, KernelValue value, CancellationToken cancellationToken) =>
        throw new ValueSharingException($"the {Info.LanguageName} kernel has no variables (cannot set '{name}')");

    /// <inheritdoc/>
    public Task<IReadOnlyList<VariableInfo>> GetVariablesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VariableInfo>>(Array.Empty<VariableInfo>());

    /// <inheritdoc/>
    public void Dispose() { }
}

using Workbench.Notebooks.Mime;
using Workbench.Notebooks.Formatting;
using Workbench.Notebooks.Magics;

namespace Workbench.Notebooks.Languages;

/// <summary>
/// <c>#!value --name v [--mime-type t] [--from-file f | --from-url u]</c>: keeps a cell's raw text (or a file's, or a
/// URL's) under a name, for other kernels to take with <c>#!set --value @value:v</c>.
/// </summary>
public sealed class ValueKernel : ILanguageKernel
{
    private static readonly string[] Valued = { "--name", "--mime-type", "--from-file", "--from-url" };
    private readonly Dictionary<string, KernelValue> _values = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <inheritdoc/>
    public LanguageKernelInfo Info { get; } = new("value", Array.Empty<string>(), "value", null, "Store the text that follows as a named value for other kernels");

    /// <inheritdoc/>
    public async Task<SubmissionResult> SubmitAsync(Submission submission, CancellationToken cancellationToken)
    {
        var selector = submission.Selector ?? throw new MagicException("#!value: the cell must start with #!value --name NAME", 1);
        selector.CheckOptions(Valued, Array.Empty<string>());
        var name = selector.RequiredOption("--name");
        var mime = selector.Option("--mime-type");
        var file = selector.Option("--from-file");
        var url = selector.Option("--from-url");
        var body = submission.Code.Trim('\n', '\r');
        if (file is not null && url is not null) throw new MagicException("#!value: give --from-file or --from-url, not both", selector.Line);
        if ((file ?? url) is not null && body.Trim().Length > 0)
            throw new MagicException("#!value: a cell with --from-file or --from-url must have no other content", selector.Line);
        string text;
        if (file is not null)
        {
            try { text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new MagicException($"#!value: cannot read {file}: {e.Message}", selector.Line, e); }
        }
        else if (url is not null)
        {
            try { text = await _http.GetStringAsync(url, cancellationToken).ConfigureAwait(false); }
            catch (HttpRequestException e) { throw new MagicException($"#!value: cannot fetch {url}: {e.Message}", selector.Line, e); }
        }
        else text = body;
        lock (_values) _values[name] = new KernelValue(text, null, typeof(string).FullName!, mime ?? "text/plain");
        // As .NET Interactive does, the stored value is shown: in its MIME type when one was given, else as text.
        var shown = new MimeBundle().Add(mime ?? "text/plain", text);
        if (mime is not null && mime != "text/plain") shown.Add("text/plain", text);
        submission.Output.Display(shown, null);
        return SubmissionResult.Empty;
    }

    /// <inheritdoc/>
    public Task<KernelValue?> GetValueAsync(string name, CancellationToken cancellationToken)
    {
        lock (_values) return Task.FromResult(_values.TryGetValue(name, out var v) ? v : null);
    }

    /// <inheritdoc/>
    public Task SetValueAsync(string name, KernelValue value, CancellationToken cancellationToken)
    {
        lock (_values) _values[name] = value;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<VariableInfo>> GetVariablesAsync(CancellationToken cancellationToken)
    {
        lock (_values)
            return Task.FromResult<IReadOnlyList<VariableInfo>>(_values.Select(p => new VariableInfo(p.Key, p.Value.TypeName, VariableText.Of(p.Value.Object ?? p.Value.Json))).ToList());
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}

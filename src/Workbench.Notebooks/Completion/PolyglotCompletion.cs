using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Languages;
using Workbench.Notebooks.Magics;

namespace Workbench.Notebooks.Completion;

/// <summary>
/// Completion and inspection for polyglot cells: the request goes to the kernel of the cell part the cursor is in
/// (<see cref="CellPart.Split"/>), with offsets mapped between the cell and the part. C# parts — and any cell without
/// language magics — go to <see cref="CellCompletion"/> as they always did; other kernels answer when they implement
/// <see cref="ILanguageCompletion"/>.
/// </summary>
public sealed class PolyglotCompletion
{
    private readonly NotebookSession _session;
    private readonly CellCompletion _csharp;

    /// <summary>Routes between the kernels of <paramref name="session"/>; C# parts go to <paramref name="csharp"/>.</summary>
    public PolyglotCompletion(NotebookSession session, CellCompletion csharp)
    {
        _session = session;
        _csharp = csharp;
    }

    /// <summary>Completions at <paramref name="cursor"/> (a UTF-16 offset into the cell).</summary>
    /// <param name="code">The whole cell.</param>
    /// <param name="cursor">The cursor's offset in the cell.</param>
    /// <param name="kernelName">The cell's language from notebook metadata (null: the session's default).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<CompletionResult> CompleteAsync(string code, int cursor, string? kernelName = null, CancellationToken cancellationToken = default)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var target = Locate(code, cursor, kernelName);
        if (target is null) return await _csharp.CompleteAsync(code, cursor, cancellationToken).ConfigureAwait(false);
        var (kernel, part, offset) = target.Value;
        if (kernel is null) return new CompletionResult(Array.Empty<string>(), cursor, cursor);
        var r = await kernel.CompleteAsync(part, cursor - offset, cancellationToken).ConfigureAwait(false);
        return new CompletionResult(r.Matches, r.CursorStart + offset, r.CursorEnd + offset);
    }

    /// <summary>The description of the symbol at <paramref name="cursor"/> by the kernel of its part, or null.</summary>
    /// <param name="code">The whole cell.</param>
    /// <param name="cursor">The cursor's offset in the cell.</param>
    /// <param name="kernelName">The cell's language from notebook metadata (null: the session's default).</param>
    /// <param name="detailLevel">Jupyter's detail_level: at 1, C# also shows the source of what earlier cells declared.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<string?> InspectAsync(string code, int cursor, string? kernelName = null, int detailLevel = 0, CancellationToken cancellationToken = default)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var target = Locate(code, cursor, kernelName);
        if (target is null) return await _csharp.InspectAsync(code, cursor, detailLevel, cancellationToken).ConfigureAwait(false);
        var (kernel, part, offset) = target.Value;
        if (kernel is CSharpPart) return await _csharp.InspectAsync(part, cursor - offset, detailLevel, cancellationToken).ConfigureAwait(false);
        return kernel is null ? null : await kernel.InspectAsync(part, cursor - offset, cancellationToken).ConfigureAwait(false);
    }

    // Null: the whole cell goes to C# completion. Otherwise the kernel (null when it offers no completion), the code
    // of the part and the cell offset the part's offsets are shifted by.
    private (ILanguageCompletion? Kernel, string Code, int Offset)? Locate(string code, int cursor, string? kernelName)
    {
        var start = kernelName is null ? _session.DefaultKernelName : _session.ResolveKernelName(kernelName) ?? kernelName;
        IReadOnlyList<CellPart> parts;
        try { parts = CellPart.Split(code, start, _session.ResolveKernelName); }
        catch (MagicException) { return start == _session.CSharp.Info.Name ? null : (null, "", 0); }
        if (parts.Count == 0 || (parts.Count == 1 && parts[0] is { Magic: null, Selector: null } && parts[0].Kernel == _session.CSharp.Info.Name)) return null;

        if (code.Contains('\r')) return start == _session.CSharp.Info.Name ? null : (null, "", 0);

        // A part keeps the cell's line numbers (its code is padded with empty lines in front), so a part spans from the
        // line after the magic before it to its own last line, and its offsets differ from the cell's by a constant.
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < code.Length; i++)
            if (code[i] == '\n') lineStarts.Add(i + 1);
        var line = lineStarts.FindLastIndex(s => s <= cursor);
        var boundary = 0;
        foreach (var part in parts)
        {
            if (part.Magic is { } magic)
            {
                boundary = magic.Line;
                continue;
            }
            boundary = Math.Max(boundary, part.Selector?.Line ?? 0);
            var partCode = part.Code!;
            var last = partCode.Count(c => c == '\n');
            if (line < boundary || line > last) continue;
            var offset = lineStarts[boundary] - boundary;
            if (part.Kernel == _session.CSharp.Info.Name) return (new CSharpPart(_csharp), partCode, offset);
            return _session.GetKernel(part.Kernel) is ILanguageCompletion completion ? (completion, partCode, offset) : (null, "", 0);
        }
        return (null, "", 0); // a magic line, or an empty part
    }

    // C# completion of one part (its leading empty lines keep line numbers; Roslyn ignores them).
    private sealed class CSharpPart(CellCompletion completion) : ILanguageCompletion
    {
        public Task<CompletionResult> CompleteAsync(string code, int cursor, CancellationToken cancellationToken) => completion.CompleteAsync(code, cursor, cancellationToken);

        public Task<string?> InspectAsync(string code, int cursor, CancellationToken cancellationToken) => completion.InspectAsync(code, cursor, 0, cancellationToken);
    }
}

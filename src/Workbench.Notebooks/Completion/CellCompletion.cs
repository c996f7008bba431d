using System.Text;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Text;
using Workbench.Notebooks.Directives;
using Workbench.Notebooks.Execution;
using RoslynCompletion = Microsoft.CodeAnalysis.Completion.CompletionService;

namespace Workbench.Notebooks.Completion;

/// <summary>
/// Completion and inspection for a session's cells through Roslyn's workspace services: an ad-hoc script project
/// whose one document holds every cell that compiled so far (usings hoisted to the top) followed by the cell being
/// edited, so that variables, types and usings from earlier cells are known and members after a dot complete.
/// </summary>
public sealed class CellCompletion : IDisposable
{
    private readonly NotebookSession _session;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lazy<Task> _warm;
    private AdhocWorkspace? _workspace;
    private DocumentId? _documentId;
    private int _referenceCount = -1;

    /// <summary>Creates the completion service of a session (the workspace is built on first use or by <see cref="WarmAsync"/>).</summary>
    public CellCompletion(NotebookSession session)
    {
        _session = session;
        _warm = new Lazy<Task>(() => Task.Run(async () =>
        {
            await _session.WarmAsync().ConfigureAwait(false);
            // The three shapes of a Tab (a type's members, an instance's members, a bare name), and an inspection: each
            // runs code paths of its own the first time.
            foreach (var code in new[] { "Math.", "var warm = new List<int>();\nwarm.", "Ma" })
                await CompleteAsync(code, code.Length).ConfigureAwait(false);
            await InspectAsync("Math.Abs(1)", 6).ConfigureAwait(false);
        }));
    }

    /// <summary>Builds the workspace and runs one completion in the background, so the first real request is quick.</summary>
    public Task WarmAsync() => _warm.Value;

    /// <summary>Completions at <paramref name="cursor"/> (a UTF-16 offset into <paramref name="code"/>).</summary>
    public async Task<CompletionResult> CompleteAsync(string code, int cursor, CancellationToken cancellationToken = default)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (document, offset, _) = Prepare(code);
            var service = RoslynCompletion.GetService(document);
            if (service is null) return new CompletionResult(Array.Empty<string>(), cursor, cursor);
            var list = await service.GetCompletionsAsync(document, offset + cursor, cancellationToken: cancellationToken).ConfigureAwait(false);
            var start = Math.Clamp(list.Span.Start - offset, 0, cursor);
            var typed = code[start..cursor];
            var matches = list.ItemsList
                .Where(i => i.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(i => i.DisplayText)
                .Distinct(StringComparer.Ordinal)
                .OrderBy(s => s, StringComparer.OrdinalIgnoreCase)
                .ToList();
            return new CompletionResult(matches, start, cursor);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The signature and XML-doc summary of the symbol at <paramref name="cursor"/> as plain text, or null when the
    /// cursor is not on a symbol. At <paramref name="detailLevel"/> 1 (Jupyter's, as IPython's <c>x??</c>) a symbol
    /// declared in an earlier cell also shows the source of its declaration and the cell it came from.
    /// </summary>
    public async Task<string?> InspectAsync(string code, int cursor, int detailLevel = 0, CancellationToken cancellationToken = default)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (document, offset, cells) = Prepare(code);
            var symbol = await SymbolFinder.FindSymbolAtPositionAsync(document, offset + cursor, cancellationToken).ConfigureAwait(false);
            if (symbol is null && cursor > 0)
                symbol = await SymbolFinder.FindSymbolAtPositionAsync(document, offset + cursor - 1, cancellationToken).ConfigureAwait(false);
            if (symbol is null) return null;
            var text = new StringBuilder(symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat));
            var summary = Summary(symbol.GetDocumentationCommentXml(cancellationToken: cancellationToken));
            if (summary is not null) text.Append('\n').Append(summary);
            // A variable of the session: its value now, as IPython's x? shows it.
            if (symbol is ILocalSymbol or IFieldSymbol { ContainingType.IsScriptClass: true }
                && await _session.CSharp.GetValueAsync(symbol.Name, cancellationToken).ConfigureAwait(false) is { } value)
                text.Append("\nType: ").Append(value.TypeName).Append("\nValue: ").Append(Languages.VariableText.Of(value.Object));
            if (detailLevel >= 1)
            {
                var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
                foreach (var declaration in CellDeclarations(symbol, tree!, cells, cancellationToken))
                    text.Append("\nSource: ").Append(declaration.Where).Append('\n').Append(declaration.Code);
            }
            return text.ToString();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>True when <paramref name="code"/> is a complete submission (no open braces, strings or statements).</summary>
    public static bool IsComplete(string code)
    {
        if (string.IsNullOrWhiteSpace(code)) return true;
        string script;
        try { script = CellSource.Parse(code).Script; }
        catch (DirectiveException) { return true; } // let execution report it
        var tree = CSharpSyntaxTree.ParseText(script, new CSharpParseOptions(kind: SourceCodeKind.Script));
        return SyntaxFactory.IsCompleteSubmission(tree);
    }

    // The workspace document for a request: earlier cells, then the cell being edited (which starts at Offset). Cells
    // gives where each earlier cell's body lies in the document and the file name it ran under.
    private (Document Document, int Offset, IReadOnlyList<(TextSpan Span, string Name)> Cells) Prepare(string code)
    {
        var history = _session.CSharp.HistorySources;
        var usings = new StringBuilder();
        var bodies = new StringBuilder();
        var cellSpans = new List<(TextSpan Span, string Name)>();
        foreach (var (cell, name) in history)
        {
            foreach (var (_, u) in cell.Usings) usings.Append(u.Trim()).Append('\n');
            cellSpans.Add((new TextSpan(bodies.Length, cell.Body.Length), name));
            bodies.Append(cell.Body).Append(";\n");
        }
        var current = code;
        try
        {
            var source = CellSource.Parse(code);
            foreach (var (_, u) in source.Usings) usings.Append(u.Trim()).Append('\n');
            current = source.Body;
        }
        catch (DirectiveException) { }
        var prefix = usings.Append(bodies).ToString();
        var text = SourceText.From(prefix + current);

        var references = _session.References;
        if (_workspace is null || references.Count != _referenceCount)
        {
            _workspace ??= new AdhocWorkspace(MefHostServices.DefaultHost);
            _workspace.ClearSolution();
            var project = ProjectInfo.Create(
                ProjectId.CreateNewId(), VersionStamp.Create(), "cells", "cells", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: NotebookSession.Imports),
                parseOptions: new CSharpParseOptions(kind: SourceCodeKind.Script),
                metadataReferences: references,
                isSubmission: true,
                hostObjectType: NotebookSession.GlobalsType);
            var solution = _workspace.CurrentSolution.AddProject(project);
            _documentId = DocumentId.CreateNewId(project.Id);
            solution = solution.AddDocument(DocumentInfo.Create(_documentId, "cell.csx", sourceCodeKind: SourceCodeKind.Script,
                loader: TextLoader.From(TextAndVersion.Create(SourceText.From(""), VersionStamp.Create()))));
            if (!_workspace.TryApplyChanges(solution)) throw new InvalidOperationException("could not create the completion workspace");
            _referenceCount = references.Count;
        }
        var document = _workspace.CurrentSolution.WithDocumentText(_documentId!, text).GetDocument(_documentId!)!;
        var bodiesStart = prefix.Length - bodies.Length;
        return (document, prefix.Length, cellSpans.Select(c => (new TextSpan(c.Span.Start + bodiesStart, c.Span.Length), c.Name)).ToList());
    }

    // The declarations of a symbol that lie in earlier cells: the cell ("Cell In[3], line 2", as tracebacks name it) and
    // the declaration's text, dedented. A variable shows its whole declaration statement; a member, its whole member.
    private static IEnumerable<(string Where, string Code)> CellDeclarations(ISymbol symbol, SyntaxTree tree,
        IReadOnlyList<(TextSpan Span, string Name)> cells, CancellationToken cancellationToken)
    {
        if (symbol is IMethodSymbol { MethodKind: MethodKind.Constructor, IsImplicitlyDeclared: true } constructor) symbol = constructor.ContainingType;
        if (symbol is IParameterSymbol or ITypeParameterSymbol or IRangeVariableSymbol or INamespaceSymbol) yield break;
        var text = tree.GetText(cancellationToken);
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != tree) continue;
            var node = reference.GetSyntax(cancellationToken).AncestorsAndSelf().FirstOrDefault(n =>
                n is Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax
                    or Microsoft.CodeAnalysis.CSharp.Syntax.LocalDeclarationStatementSyntax
                    or Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax);
            if (node is null) continue;
            var cell = cells.FirstOrDefault(c => c.Span.Contains(node.SpanStart));
            if (cell.Name is null) continue; // declared in the cell being edited: it has not run
            var lines = text.Lines;
            var first = lines.GetLineFromPosition(node.SpanStart);
            // Clipped to the cell: the ';' the document adds after each cell may be parsed into the last declaration.
            var source = text.ToString(TextSpan.FromBounds(first.Start, Math.Min(node.Span.End, cell.Span.End))).TrimEnd();
            var cellLine = first.LineNumber - lines.GetLineFromPosition(cell.Span.Start).LineNumber + 1;
            var count = cell.Name["cell[".Length..^1].Split('.')[0];
            yield return ($"Cell In[{count}], line {cellLine}", Dedent(source));
        }
    }

    private static string Dedent(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.TrimEnd()));
    }

    private static string? Summary(string? xml)
    {
        if (string.IsNullOrWhiteSpace(xml)) return null;
        try
        {
            var summary = XElement.Parse(xml).Element("summary");
            if (summary is null) return null;
            var sb = new StringBuilder();
            foreach (var node in summary.DescendantNodes())
            {
                if (node is XText t) sb.Append(t.Value);
                else if (node is XElement { Name.LocalName: "see" or "paramref" or "typeparamref" } e)
                {
                    var name = (string?)e.Attribute("cref") ?? (string?)e.Attribute("name") ?? (string?)e.Attribute("langword") ?? "";
                    sb.Append(name.Contains(':') ? name[(name.IndexOf(':') + 1)..].Split('.').Last() : name);
                }
            }
            var text = string.Join(' ', sb.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return text.Length == 0 ? null : text;
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _workspace?.Dispose();
        _gate.Dispose();
    }
}

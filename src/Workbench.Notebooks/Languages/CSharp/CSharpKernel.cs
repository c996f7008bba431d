using System.Diagnostics;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Workbench.Notebooks.Directives;
using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Languages.CSharp;

/// <summary>
/// The C# language of a session: Roslyn script submissions chained with ContinueWith, so variables, types and usings
/// carry from one cell to the next.
/// </summary>
/// <remarks>
/// Before compiling, a submission's directives (<c>#r "x.dll"</c>, <c>#r "nuget: Name, Version"</c>,
/// <c>#:package Name@Version</c>, <c>#:project path</c>) are resolved into references and its using directives are
/// hoisted, with <c>#line</c> mapping so that errors report lines within the cell. Submissions see the members of
/// <see cref="CellContext"/> (<c>display</c>, <c>Cancellation</c>, <c>Formatters</c>). Roslyn is warmed in the background
/// when the kernel is created.
/// </remarks>
public sealed class CSharpKernel : ILanguageKernel
{
    private static readonly string[] DefaultImports =
    {
        "System", "System.Collections", "System.Collections.Generic", "System.IO", "System.Linq", "System.Text", "System.Threading", "System.Threading.Tasks",
        // The engine's own display helpers (Markdown, Latex, Image, …) are what cells use most. Chart helpers live in
        // Workbench.Plotting, which a notebook references itself so that other kernels load the same code.
        "Workbench.Notebooks.Display",
    };

    private readonly NotebookSession _session;
    private readonly CellContext _context;
    private readonly Task<ScriptState<object>> _initial;
    private readonly PackageResolver _packages = new();
    private readonly DirectiveResolver _directives;
    private readonly HashSet<string> _referencedNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<MetadataReference> _addedReferences = new();
    private readonly List<(CellSource Source, string Name)> _history = new(); // Name: the submission's file, cell[N] or cell[N.n]
    // Each submission's lines by its file name, for the code a traceback shows beside each frame.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> _sources = new(StringComparer.Ordinal);
    private ScriptOptions? _scriptOptions;
    private ScriptState<object>? _state;
    private int _submissions;
    private Action<bool> _setStop = _ => { };

    // How long an interrupt waits for the checks before it wakes a blocked cell thread.
    private static readonly TimeSpan WakeDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Creates the C# kernel of <paramref name="session"/> and starts warming Roslyn in the background.</summary>
    public CSharpKernel(NotebookSession session)
    {
        _session = session;
        _context = new CellContext(session);
        _directives = new DirectiveResolver(_packages);
        _initial = Task.Run(StartAsync);
    }

    /// <inheritdoc/>
    public LanguageKernelInfo Info { get; } = new("csharp", new[] { "c#", "C#" }, "C#", "14.0", "Run the code that follows as C# (Roslyn scripting)");

    /// <summary>The code of the submissions that compiled, in order (hoisted usings first in each).</summary>
    public IReadOnlyList<string> History
    {
        get { lock (_history) return _history.Select(h => h.Source.Script).ToList(); }
    }

    // The submissions that compiled with the file name each ran under (completion and inspection read them).
    internal IReadOnlyList<(CellSource Source, string Name)> HistorySources
    {
        get { lock (_history) return _history.ToList(); }
    }

    /// <summary>The references submissions compile against: defaults plus those added by directives.</summary>
    public IReadOnlyList<MetadataReference> References
    {
        get
        {
            var set = ReferenceCatalog.Get();
            lock (_addedReferences) return set.Framework.Concat(set.HostFiles).Concat(_addedReferences).ToList();
        }
    }

    // The F# kernel restores through the same resolver, so a session's packages have one version in both languages.
    internal PackageResolver Packages => _packages;

    /// <summary>The namespaces every submission imports.</summary>
    public static IReadOnlyList<string> Imports => DefaultImports;

    /// <summary>The globals type of the scripts (for tools that compile cells, such as completion).</summary>
    public static Type GlobalsType => typeof(CellContext);

    /// <summary>Completes when Roslyn is warm (the first submission waits for this anyway).</summary>
    public Task WarmAsync() => _initial;

    private NotebookSessionOptions Options => _session.Options;

    private async Task<ScriptState<object>> StartAsync()
    {
        var set = ReferenceCatalog.Get();
        lock (_referencedNames) _referencedNames.UnionWith(set.Names);
        _scriptOptions = ScriptOptions.Default
            .WithReferences(set.Framework)
            .AddReferences(set.HostAssemblies)
            .WithImports(DefaultImports)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithAllowUnsafe(true)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(Options.WorkingDirectory))
            .WithSourceResolver(new SourceFileResolver(System.Collections.Immutable.ImmutableArray<string>.Empty, Options.WorkingDirectory));
        // The first submission compiles and JITs the compiler: later real cells take a fraction of the time.
        // It also declares the session's interrupt flag, which the checks CancellationRewriter inserts read.
        var flag = $"public static class {CancellationRewriter.FlagClass} {{ public static volatile bool Stop; }}\n"
            + $"(global::System.Action<bool>)(stop => {CancellationRewriter.FlagClass}.Stop = stop)";
        var state = await CSharpScript.RunAsync<object>(flag, _scriptOptions.WithFilePath("warmup"), _context, typeof(CellContext)).ConfigureAwait(false);
        _setStop = (Action<bool>)state.ReturnValue;
        return state;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Cancelling <paramref name="cancellationToken"/> is an interrupt: a submission that has not returned within
    /// <see cref="NotebookSessionOptions.InterruptGracePeriod"/> is reported as not responding (it keeps running in the
    /// background; the remedy is a restart), and the kernel continues from the state before it.
    /// </remarks>
    public async Task<SubmissionResult> SubmitAsync(Submission submission, CancellationToken cancellationToken)
    {
        var token = cancellationToken;
        CellSource source;
        try
        {
            source = CellSource.Parse(submission.Code);
            await ResolveDirectivesAsync(source.Directives, token).ConfigureAwait(false);
        }
        catch (DirectiveException e)
        {
            return SubmissionResult.Failed(new CellError("DirectiveError", e.Message, new[] { "DirectiveError: " + e.Message }, e.Line));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return Interrupted();
        }

        var previous = _state ?? await _initial.ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(source.Body) && source.Usings.Count == 0) return SubmissionResult.Empty;

        // Each submission needs its own file name so that stack frames map to it; the cell's count keeps it readable.
        var n = ++_submissions;
        var cellName = n == submission.ExecutionCount ? $"cell[{submission.ExecutionCount}]" : $"cell[{submission.ExecutionCount}.{n}]";
        var options = _scriptOptions!.WithFilePath(cellName);
        _sources[cellName] = submission.Code.Replace("\r\n", "\n").Split('\n');
        var code = source.Script;
        // An interrupt's flag stays raised until the next submission, so that what the interrupted cell started (tasks,
        // threads) stops too, however late it next passes a check; this cell starts unstopped.
        _setStop(false);
        var cellRun = new CellRun(token);
        var thread = new CellThread();
        // Compiled on a pool thread: the cell's own thread runs nothing but the cell (see CellThread).
        var run = Task.Run(() =>
        {
            var script = Compile(previous.Script, code, options, token);
            return thread.Run(() => script.RunFromAsync(previous, _ => true, token), cellRun);
        });
        // The run lets go of the token when the code ends, even if that is long after the kernel gave up on it.
        _ = run.ContinueWith(_ => cellRun.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        var interrupted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (token.Register(() =>
        {
            _setStop(true);
            interrupted.TrySetResult();
        }))
        {
            if (await Task.WhenAny(run, interrupted.Task).ConfigureAwait(false) != run)
            {
                // Checks and token-aware waits stop the code at once; a wait the rewrite could not reach is woken next,
                // and again every WakeDelay: on a busy machine the thread may only reach its wait after the first try.
                long since = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(since) < Options.InterruptGracePeriod + WakeDelay
                       && await Task.WhenAny(run, Task.Delay(WakeDelay)).ConfigureAwait(false) != run)
                    thread.InterruptIfWaiting();
                if (!run.IsCompleted)
                {
                    var seconds = Options.InterruptGracePeriod.TotalSeconds;
                    var message = $"The cell did not stop within {seconds:0.#} s of the interrupt: {thread.Describe()}. It keeps running in the background: restart the kernel to stop it.";
                    return SubmissionResult.Failed(new CellError("CellNotRespondingToInterrupt", message, new[] { message }), cancelled: true);
                }
            }
        }

        ScriptState<object> next;
        try
        {
            next = await run.ConfigureAwait(false);
        }
        catch (CompilationErrorException e)
        {
            return SubmissionResult.Failed(CSharpErrors.Compile(e));
        }
        catch (Exception e) when (token.IsCancellationRequested && CSharpErrors.IsInterruption(e))
        {
            return Interrupted();
        }

        // A cell that threw keeps what it assigned before the throw, as in IPython.
        _state = next;
        lock (_history) _history.Add((source, cellName));
        if (next.Exception is { } ex)
        {
            if (token.IsCancellationRequested && CSharpErrors.IsInterruption(ex)) return SubmissionResult.Failed(CSharpErrors.Interrupted(ex, cellName, _sources), cancelled: true);
            return SubmissionResult.Failed(CSharpErrors.Runtime(ex, cellName, _sources));
        }
        // A trailing display(x) already showed x; its handle is not a result (as display() returns None in Python).
        if (next.ReturnValue is DisplayHandle or Microsoft.DotNet.Interactive.Formatting.DisplayedValue) return SubmissionResult.Empty;
        // A trailing expression that is null still has a result, shown as .NET Interactive shows it; statements have none.
        if (next.ReturnValue is null)
            return EndsWithValue(next.Script) ? new SubmissionResult(Mime.MimeBundle.PlainText("<null>"), null) : SubmissionResult.Empty;
        try
        {
            return new SubmissionResult(_session.Format(next.ReturnValue), null);
        }
        catch (Exception fe)
        {
            return SubmissionResult.Failed(CSharpErrors.Runtime(fe, cellName, _sources));
        }
    }

    // True when the submission ends with an expression of a non-void type and no semicolon: its value is the result.
    private static bool EndsWithValue(Script script)
    {
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot() is not Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax root) return false;
        if (root.Members.LastOrDefault() is not Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax
            { Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement }) return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    /// <inheritdoc/>
    public Task<KernelValue?> GetValueAsync(string name, CancellationToken cancellationToken)
    {
        var variable = _state?.Variables.LastOrDefault(v => v.Name == name);
        return Task.FromResult(variable is null ? null : KernelValue.FromObject(variable.Value) with { TypeName = CSharpTypeNames.Of(variable.Type) });
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The variable is declared by a submission of its own, <c>T name = (T)value;</c>, with T the value's runtime type
    /// when a cell can name it, so the new variable has the type the value had in its own kernel.
    /// </remarks>
    public async Task SetValueAsync(string name, KernelValue value, CancellationToken cancellationToken)
    {
        if (!CSharpTypeNames.IsIdentifier(name))
            throw new ValueSharingException($"'{name}' is not a valid C# variable name");
        var obj = value.IsJson ? ValueConversion.FromJson(value.Json!) : value.Object;
        var type = obj is null ? "object" : CSharpTypeNames.Of(obj.GetType());
        var previous = _state ?? await _initial.ConfigureAwait(false);
        _context.PendingValue = obj;
        try
        {
            var script = $"{type} {name} = ({type})__TakePendingValue();";
            _state = await previous.ContinueWithAsync<object>(script, _scriptOptions!.WithFilePath("set-value"), _ => true, cancellationToken).ConfigureAwait(false);
        }
        catch (CompilationErrorException e)
        {
            throw new ValueSharingException($"cannot declare C# variable '{name}' of type {type}: {e.Diagnostics.FirstOrDefault()?.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}", e);
        }
        finally
        {
            _context.PendingValue = null;
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<VariableInfo>> GetVariablesAsync(CancellationToken cancellationToken)
    {
        var result = new List<VariableInfo>();
        if (_state is null) return Task.FromResult<IReadOnlyList<VariableInfo>>(result);
        // A name declared again in a later cell shadows the earlier one: list each name once, at its latest value.
        var latest = new Dictionary<string, ScriptVariable>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var v in _state.Variables)
        {
            if (!latest.ContainsKey(v.Name)) order.Add(v.Name);
            latest[v.Name] = v;
        }
        foreach (var n in order)
        {
            var v = latest[n];
            result.Add(new VariableInfo(n, CSharpTypeNames.Of(v.Type), VariableText.Of(v.Value)));
        }
        return Task.FromResult<IReadOnlyList<VariableInfo>>(result);
    }

    // The cell rewritten so that an interrupt stops it (CancellationRewriter), or as written when the rewrite does not
    // compile or is turned off. A cell with errors is compiled as written, so the diagnostics are the user's own,
    // columns included. Throws CompilationErrorException; the script returned is compiled.
    private Script<object> Compile(Script previous, string code, ScriptOptions options, CancellationToken token)
    {
        var written = previous.ContinueWith<object>(code, options);
        if (Options.InterruptChecks)
        {
            var compilation = written.GetCompilation();
            var tree = compilation.SyntaxTrees.Last();
            if (CancellationRewriter.Rewrite(tree, () => compilation.GetSemanticModel(tree)) is { } text)
            {
                var rewritten = previous.ContinueWith<object>(text, options);
                if (!rewritten.Compile(token).Any(d => d.Severity == DiagnosticSeverity.Error)) return rewritten;
            }
        }
        var diagnostics = written.Compile(token);
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            throw new CompilationErrorException(diagnostics.First(d => d.Severity == DiagnosticSeverity.Error).ToString(), diagnostics);
        return written;
    }

    private static SubmissionResult Interrupted() =>
        SubmissionResult.Failed(new CellError("OperationCanceledException", "The cell was interrupted.", new[] { "OperationCanceledException: The cell was interrupted." }), cancelled: true);

    private async Task ResolveDirectivesAsync(IReadOnlyList<CellDirective> directives, CancellationToken token)
    {
        if (directives.Count == 0) return;
        await _initial.ConfigureAwait(false); // the options exist once warming has built them
        AddReferences(await _directives.ResolveAsync(directives, Options.WorkingDirectory, token).ConfigureAwait(false));
    }

    private void AddReferences(IEnumerable<(string Path, CellDirective Directive)> paths)
    {
        var added = new List<MetadataReference>();
        foreach (var (path, directive) in paths)
        {
            string name;
            try { name = AssemblyName.GetAssemblyName(path).Name ?? Path.GetFileNameWithoutExtension(path); }
            catch (BadImageFormatException) { throw new DirectiveException(directive.Text, directive.Line, $"not a .NET assembly: {path}"); }
            lock (_referencedNames)
            {
                // The first assembly of a name wins: the host's copy or an earlier directive's.
                if (!_referencedNames.Add(name)) continue;
            }
            var xml = Path.ChangeExtension(path, ".xml");
            added.Add(MetadataReference.CreateFromFile(path, documentation: File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null));
        }
        if (added.Count == 0) return;
        lock (_addedReferences) _addedReferences.AddRange(added);
        _scriptOptions = _scriptOptions!.AddReferences(added);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _packages.Dispose();
        _directives.Dispose();
    }
}

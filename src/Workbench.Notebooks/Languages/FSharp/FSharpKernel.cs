// Over 400 lines on purpose: one F# Interactive session's life (its own thread, the evaluation gate an interrupt
// outlives, references, bound values) is one piece of state; split, each part would reach into the others' fields.
using System.Reflection;
using FSharp.Compiler.Diagnostics;
using FSharp.Compiler.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.FSharp.Core;
using Workbench.Notebooks.Completion;
using Workbench.Notebooks.Directives;
using Workbench.Notebooks.Execution;
using static FSharp.Compiler.Interactive.Shell;

namespace Workbench.Notebooks.Languages.FSharp;

/// <summary>
/// The F# language of a session: one F# Interactive evaluation session (FSharp.Compiler.Service) in this process, so
/// values, functions and types carry from one F# cell to the next, and .NET objects cross to and from C# as they are.
/// </summary>
/// <remarks>
/// F# Interactive starts in the background when the kernel is created (the session creates it when a cell first
/// names F#); the first F# cell waits for it. Cells see the members of <see cref="FSharpCell"/> (<c>display</c>,
/// <c>Cancellation</c>, …) and the engine's display helpers, and reference what C# cells reference by default.
/// Directives are resolved like C#'s (<see cref="FSharpSource"/>): an assembly a C# cell already referenced is taken
/// from the same file, so both languages see one type identity. Each cell runs on a thread of its own; an interrupt
/// is handled as in C# (grace period, then <c>CellNotRespondingToInterrupt</c>), and a later F# cell waits until an
/// unresponsive one has finished, because F# Interactive runs one evaluation at a time.
/// </remarks>
public sealed partial class FSharpKernel : ILanguageKernel, ILanguageCompletion
{
    // F# Interactive runs deeply recursive code (its own type checker and the cell's): a thread with room for it.
    private const int StackSize = 64 * 1024 * 1024;

    // Type-checks, compiles, loads and runs like a trivial cell, and binds no name: an expression, even of type unit,
    // would bind `it`, which a session that was not warmed does not have.
    private const string WarmUpCode = "let _ = 1 + 1";

    private static readonly string[] DefaultOpens =
    {
        "open type Workbench.Notebooks.Languages.FSharp.FSharpCell",
        "open Workbench.Notebooks.Display",
    };

    private readonly NotebookSession _session;
    private readonly Task<FsiEvaluationSession> _fsi;
    private readonly object _warmLock = new();
    private Task? _warm;
    private readonly SemaphoreSlim _gate = new(1, 1); // held by the running evaluation, which may outlive an interrupt
    private readonly FsiWriter _out = new(error: false);
    private readonly FsiWriter _err = new(error: true);
    private readonly DirectiveResolver _directives;
    private readonly Dictionary<string, string> _referenced = new(StringComparer.OrdinalIgnoreCase); // assembly name → file
    private readonly List<string> _variableOrder = new();
    private readonly FSharpCompletion _completion;
    private int _submissions;
    private bool _disposed;

    /// <summary>Creates the F# kernel of <paramref name="session"/> and starts F# Interactive in the background.</summary>
    public FSharpKernel(NotebookSession session)
    {
        _session = session;
        // Over the C# kernel's package resolver: one restore per session, so both languages get the same versions.
        _directives = new DirectiveResolver(session.CSharp.Packages);
        _fsi = StartAsync();
        _completion = new FSharpCompletion(this);
    }

    /// <summary>The identity the session registers F# under ("fsharp", aliases "f#" and "F#").</summary>
    public static LanguageKernelInfo KernelInfo { get; } =
        new("fsharp", new[] { "f#", "F#" }, "F#", "10.0", "Run the code that follows as F# (F# Interactive)");

    /// <inheritdoc/>
    public LanguageKernelInfo Info => KernelInfo;

    /// <summary>
    /// Completes when F# Interactive has started and evaluated a first interaction of its own, one that binds no
    /// name, so that the compiler's evaluation path is compiled (JIT) before the first cell needs it. A cell
    /// that arrives first runs first: the warm-up evaluation is then skipped.
    /// </summary>
    public Task WarmAsync()
    {
        lock (_warmLock) return _warm ??= WarmEvaluationAsync();
    }

    private async Task WarmEvaluationAsync()
    {
        var fsi = await _fsi.ConfigureAwait(false);
        if (Volatile.Read(ref _submissions) > 0 || !_gate.Wait(0)) return; // a cell is running, or has run: it warmed it
        await OnFsiThreadAsync(() =>
        {
            var (_, diagnostics) = fsi.EvalInteractionNonThrowing(WarmUpCode, ScriptPath("warm-up"), null).ToValueTuple();
            if (diagnostics.FirstOrDefault(d => d.Severity.IsError) is { } e)
                throw new InvalidOperationException($"F# Interactive's warm-up evaluation failed: {e.Message}");
            return 0;
        }, flowContext: false).ConfigureAwait(false);
    }

    private NotebookSessionOptions Options => _session.Options;

    private Task<FsiEvaluationSession> StartAsync() => OnFsiThreadAsync(() =>
    {
        var set = ReferenceCatalog.Get();
        var args = new List<string>
        {
            "fsi", "--noninteractive", "--nologo", "--quiet", "--targetprofile:netcore",
            // The running runtime's own assemblies, as C# cells compile against them (no SDK reference packs needed).
            "--usesdkrefs-",
        };
        foreach (var a in set.HostAssemblies)
        {
            // F# Interactive brings its FSharp.Core (the one loaded here: one FSharp.Core in the process).
            if (a.GetName().Name == "FSharp.Core") continue;
            args.Add("-r:" + a.Location);
            lock (_referenced) _referenced[a.GetName().Name!] = a.Location;
        }
        FSharpAssemblies.Install(); // before F# Interactive adds its own resolver, so that ours is asked first
        var config = FsiEvaluationSession.GetDefaultConfiguration();
        var fsi = FsiEvaluationSession.Create(config, args.ToArray(), TextReader.Null, _out, _err, FSharpOption<bool>.Some(true), null);
        var (_, diagnostics) = fsi.EvalInteractionNonThrowing(string.Join("\n", DefaultOpens), ScriptPath("startup"), null).ToValueTuple();
        if (diagnostics.FirstOrDefault(d => d.Severity.IsError) is { } e)
            throw new InvalidOperationException($"F# Interactive did not start: {e.Message}");
        return fsi;
    }, gated: false, flowContext: false);

    // Runs F# Interactive work on a thread of its own (the cell's execution context flows to it: streams, session).
    // A gated run holds the gate until the work ends, even when its caller stopped waiting.
    private Task<T> OnFsiThreadAsync<T>(Func<T> work, bool gated = true, bool flowContext = true)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { done.SetResult(work()); }
            catch (Exception e) { done.SetException(e); }
            finally
            {
                _out.Flush();
                _err.Flush();
                if (gated) _gate.Release();
            }
        }, StackSize) { IsBackground = true, Name = "fsharp-cell" };
        if (flowContext) thread.Start();
        else
        {
            // Starting F# Interactive belongs to no cell: nothing it writes goes to the cell that named F# first.
            using (ExecutionContext.SuppressFlow()) thread.Start();
        }
        return done.Task;
    }

    private string ScriptPath(string name) => Path.Combine(Options.WorkingDirectory, name + ".fsx");

    // Waits for F# Interactive to start and for any earlier evaluation to end; false when interrupted first.
    private async Task<FsiEvaluationSession?> AcquireAsync(CancellationToken token)
    {
        try
        {
            var fsi = await _fsi.WaitAsync(token).ConfigureAwait(false);
            await _gate.WaitAsync(token).ConfigureAwait(false);
            return fsi;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Cancelling <paramref name="cancellationToken"/> is an interrupt: F# code sees it as <c>Cancellation</c>; a cell
    /// that has not returned within <see cref="NotebookSessionOptions.InterruptGracePeriod"/> is reported as not
    /// responding and keeps running in the background.
    /// </remarks>
    public async Task<SubmissionResult> SubmitAsync(Submission submission, CancellationToken cancellationToken)
    {
        var token = cancellationToken;
        FSharpSource source;
        IReadOnlyList<(string Path, CellDirective Directive)> references;
        try
        {
            source = FSharpSource.Parse(submission.Code);
            references = await ResolveDirectivesAsync(source.Directives, token).ConfigureAwait(false);
        }
        catch (DirectiveException e)
        {
            return DirectiveError(e);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return Interrupted();
        }
        if (references.Count == 0 && string.IsNullOrWhiteSpace(source.Body)) return SubmissionResult.Empty;

        FsiEvaluationSession fsi;
        try
        {
            if (await AcquireAsync(token).ConfigureAwait(false) is not { } started) return Interrupted();
            fsi = started;
        }
        catch (InvalidOperationException e)
        {
            return SubmissionResult.Failed(new CellError("KernelStartError", e.Message, new[] { "KernelStartError: " + e.Message }));
        }

        var n = ++_submissions;
        var cellName = n == submission.ExecutionCount ? $"cell[{submission.ExecutionCount}]" : $"cell[{submission.ExecutionCount}.{n}]";
        var run = OnFsiThreadAsync(() => Evaluate(fsi, references, source.Body, cellName, token));

        var interrupted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (token.Register(() => interrupted.TrySetResult()))
        {
            if (await Task.WhenAny(run, interrupted.Task).ConfigureAwait(false) != run
                && await Task.WhenAny(run, Task.Delay(Options.InterruptGracePeriod)).ConfigureAwait(false) != run)
            {
                var seconds = Options.InterruptGracePeriod.TotalSeconds;
                var message = $"The cell did not stop within {seconds:0.#} s of the interrupt (it does not check Cancellation); it keeps running in the background, and F# cells wait for it: restart the kernel to stop it.";
                return SubmissionResult.Failed(new CellError("CellNotRespondingToInterrupt", message, new[] { message }), cancelled: true);
            }
        }

        var outcome = await run.ConfigureAwait(false);
        if (outcome.ReferenceError is { } referenceError) return DirectiveError(referenceError);
        RememberVariables(fsi);
        var errors = outcome.Diagnostics.Where(d => d.Severity.IsError).ToList();
        if (errors.Count > 0) return SubmissionResult.Failed(FSharpErrors.Compilation(errors));
        if (outcome.Exception is { } ex)
        {
            if (ex is OperationCanceledException && token.IsCancellationRequested) return Interrupted();
            if (ex is FsiCompilationException) return SubmissionResult.Failed(FSharpErrors.Compilation(ex.Message));
            return SubmissionResult.Failed(FSharpErrors.Runtime(ex, cellName));
        }
        // A trailing display x already showed x; its handle is not a result (nor is unit).
        var value = outcome.Value;
        if (value is null || value.ReflectionType == typeof(Unit) || value.ReflectionValue is null or DisplayHandle) return SubmissionResult.Empty;
        try
        {
            return new SubmissionResult(_session.Format(value.ReflectionValue), null);
        }
        catch (Exception fe)
        {
            return SubmissionResult.Failed(FSharpErrors.Runtime(fe, cellName));
        }
    }

    private sealed record Outcome(FsiValue? Value, Exception? Exception, IReadOnlyList<FSharpDiagnostic> Diagnostics, DirectiveException? ReferenceError = null);

    private Outcome Evaluate(FsiEvaluationSession fsi, IReadOnlyList<(string Path, CellDirective Directive)> references, string code, string cellName, CancellationToken token)
    {
        foreach (var (path, directive) in references)
        {
            // One #r per interaction, so that a failure names its own directive.
            var (choice, diagnostics) = fsi.EvalInteractionNonThrowing($"#r @\"{path.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", ScriptPath(cellName), null).ToValueTuple();
            var error = diagnostics.FirstOrDefault(d => d.Severity.IsError)?.Message ?? ((object)choice is FSharpChoice<FSharpOption<FsiValue>, Exception>.Choice2Of2 f ? f.Item.Message : null);
            if (error is not null) return new Outcome(null, null, Array.Empty<FSharpDiagnostic>(), new DirectiveException(directive.Text, directive.Line, $"{path}: {FSharpErrors.OneLine(error)}"));
        }
        if (string.IsNullOrWhiteSpace(code)) return new Outcome(null, null, Array.Empty<FSharpDiagnostic>());
        var (result, diags) = fsi.EvalInteractionNonThrowing(code, ScriptPath(cellName), FSharpOption<CancellationToken>.Some(token)).ToValueTuple();
        return result switch
        {
            FSharpChoice<FSharpOption<FsiValue>, Exception>.Choice1Of2 ok => new Outcome(ok.Item?.Value, null, diags),
            FSharpChoice<FSharpOption<FsiValue>, Exception>.Choice2Of2 failed => new Outcome(null, failed.Item, diags),
            _ => new Outcome(null, null, diags),
        };
    }

    private static SubmissionResult Interrupted() =>
        SubmissionResult.Failed(new CellError("OperationCanceledException", "The cell was interrupted.", new[] { "OperationCanceledException: The cell was interrupted." }), cancelled: true);

    private static SubmissionResult DirectiveError(DirectiveException e) =>
        SubmissionResult.Failed(new CellError("DirectiveError", e.Message, new[] { "DirectiveError: " + e.Message }, e.Line));

    /// <inheritdoc/>
    public async Task<KernelValue?> GetValueAsync(string name, CancellationToken cancellationToken)
    {
        var fsi = await _fsi.WaitAsync(cancellationToken).ConfigureAwait(false);
        var bound = fsi.TryFindBoundValue(name);
        if (bound is null || name == "it") return null;
        var value = bound.Value.Value;
        return KernelValue.FromObject(value.ReflectionValue) with { TypeName = FSharpTypeName(value) };
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The object itself is bound, typed as its runtime type, so F# and C# hold the same instance: a submission of its
    /// own declares <c>let name : T = unbox&lt;T&gt; value</c>. (F# Interactive's AddBoundValue declares types its
    /// multi-assembly emit cannot load later.) A type F# cannot name (declared in a C# cell), and null, are bound as
    /// <c>obj</c>.
    /// </remarks>
    public async Task SetValueAsync(string name, KernelValue value, CancellationToken cancellationToken)
    {
        if (!FSharpNames.IsIdentifier(name)) throw new ValueSharingException($"'{name}' is not a valid F# variable name");
        var obj = value.IsJson ? ValueConversion.FromJson(value.Json!) : value.Object;
        if (await AcquireAsync(cancellationToken).ConfigureAwait(false) is not { } fsi) throw new OperationCanceledException(cancellationToken);
        try
        {
            await OnFsiThreadAsync(() =>
            {
                // The value is handed over in a submission of its own, typed as F# can name its runtime type.
                var type = obj is null ? null : FSharpNames.Annotation(obj.GetType());
                var take = "Workbench.Notebooks.Languages.FSharp.FSharpCell.__TakePendingValue()";
                var code = type is null ? $"let {name} : obj = {take}" : $"let {name} : {type} = unbox<{type}> ({take})";
                FSharpCell.Pending = obj;
                var (choice, diagnostics) = fsi.EvalInteractionNonThrowing(code, ScriptPath("set-value"), null).ToValueTuple();
                var error = diagnostics.FirstOrDefault(d => d.Severity.IsError)?.Message
                    ?? ((object)choice is FSharpChoice<FSharpOption<FsiValue>, Exception>.Choice2Of2 f ? f.Item.Message : null);
                if (error is not null) throw new ValueSharingException($"cannot declare F# variable '{name}' of type {type ?? "obj"}: {FSharpErrors.OneLine(error)}");
                return 0;
            }, gated: false).ConfigureAwait(false);
            RememberVariables(fsi);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<VariableInfo>> GetVariablesAsync(CancellationToken cancellationToken)
    {
        if (!_fsi.IsCompletedSuccessfully) return Array.Empty<VariableInfo>();
        var fsi = await _fsi.ConfigureAwait(false);
        var bound = Bound(fsi);
        List<string> order;
        lock (_variableOrder) order = _variableOrder.ToList();
        return order.Where(bound.ContainsKey).Select(n => new VariableInfo(n, FSharpTypeName(bound[n]), VariableText.Of(bound[n].ReflectionValue))).ToList();
    }

    private static Dictionary<string, FsiValue> Bound(FsiEvaluationSession fsi) =>
        fsi.GetBoundValues().Where(b => b.Name != "it").GroupBy(b => b.Name).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

    // F# Interactive lists bound values by name; #!who lists them in the order cells declared them.
    private void RememberVariables(FsiEvaluationSession fsi)
    {
        var names = fsi.GetBoundValues().Select(b => b.Name).Where(n => n != "it").Order(StringComparer.Ordinal);
        lock (_variableOrder)
            foreach (var n in names)
                if (!_variableOrder.Contains(n)) _variableOrder.Add(n);
    }

    private static string FSharpTypeName(FsiValue value)
    {
        try { return value.FSharpType.Format(FSharpDisplayContext.Empty.WithShortTypeNames(true)); }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException) { return value.ReflectionType.Name; }
    }

    private async Task<IReadOnlyList<(string Path, CellDirective Directive)>> ResolveDirectivesAsync(IReadOnlyList<CellDirective> directives, CancellationToken token) =>
        NewReferences(await _directives.ResolveAsync(directives, Options.WorkingDirectory, token).ConfigureAwait(false));

    // The first assembly of a name wins, as in C# — and an assembly C# already references is taken from C#'s file,
    // so a value crossing between the languages has one type identity.
    private List<(string Path, CellDirective Directive)> NewReferences(IEnumerable<(string Path, CellDirective Directive)> paths)
    {
        var csharp = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in _session.CSharp.References.OfType<PortableExecutableReference>())
            if (r.FilePath is { } f) csharp.TryAdd(Path.GetFileNameWithoutExtension(f), f);
        var added = new List<(string, CellDirective)>();
        foreach (var (path, directive) in paths)
        {
            string name;
            try { name = AssemblyName.GetAssemblyName(path).Name ?? Path.GetFileNameWithoutExtension(path); }
            catch (BadImageFormatException) { throw new DirectiveException(directive.Text, directive.Line, $"not a .NET assembly: {path}"); }
            var file = csharp.TryGetValue(name, out var shared) && File.Exists(shared) ? shared : path;
            lock (_referenced)
            {
                if (_referenced.ContainsKey(name)) continue;
                _referenced[name] = file;
            }
            added.Add((file, directive));
        }
        return added;
    }

    /// <inheritdoc/>
    public Task<CompletionResult> CompleteAsync(string code, int cursor, CancellationToken cancellationToken) =>
        _completion.CompleteAsync(code, cursor, cancellationToken);

    /// <inheritdoc/>
    public Task<string?> InspectAsync(string code, int cursor, CancellationToken cancellationToken) =>
        _completion.InspectAsync(code, cursor, cancellationToken);

    // For completion: the started session once no evaluation runs (null when busy or not started within the wait).
    internal async Task<(FsiEvaluationSession? Fsi, IDisposable? Lease)> LeaseAsync(TimeSpan wait, CancellationToken token)
    {
        try
        {
            var fsi = await _fsi.WaitAsync(token).ConfigureAwait(false);
            if (!await _gate.WaitAsync(wait, token).ConfigureAwait(false)) return (null, null);
            return (fsi, new Lease(_gate));
        }
        catch (InvalidOperationException)
        {
            return (null, null);
        }
    }

    private sealed class Lease(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _directives.Dispose();
        if (_fsi.IsCompletedSuccessfully && _gate.Wait(0))
        {
            // An unresponsive cell still uses the session: leave it to the process's end.
            ((IDisposable)_fsi.Result).Dispose();
            _gate.Release();
        }
    }
}

using Workbench.Notebooks.Mime;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Workbench.Notebooks.Comms;
using Workbench.Notebooks.Formatting;
using Workbench.Notebooks.Languages;
using Workbench.Notebooks.Languages.CSharp;
using Workbench.Notebooks.Languages.FSharp;
using Workbench.Notebooks.Languages.FrontEnd;
using Workbench.Notebooks.Magics;

namespace Workbench.Notebooks.Execution;

/// <summary>
/// A polyglot notebook session: cells run in order, each in one or more languages (C# by default; <c>#!fsharp</c>,
/// <c>#!markdown</c>, … switch), with magic commands and values shared between languages. Shared by the kernel and
/// the headless runner so both give the same outputs.
/// </summary>
/// <remarks>
/// A cell is split at its magic lines (<see cref="CellPart"/>): each run of code goes to the kernel its selector
/// names, each magic runs where it stands. The session owns what is per cell rather than per language: the execution
/// count, the output and its streams, the interrupt token, and what runs after the cell (<c>#!time</c>).
/// </remarks>
public sealed class NotebookSession : IDisposable
{
    private static readonly AsyncLocal<NotebookSession?> CurrentSession = new();

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _kernelsLock = new();
    private readonly object _createLock = new(); // one creation at a time, so a kernel is never created twice
    private readonly Dictionary<string, ILanguageKernel> _kernels = new(StringComparer.Ordinal);
    private readonly List<(LanguageKernelInfo Info, Func<NotebookSession, ILanguageKernel> Create)> _registered = new();
    private readonly List<MagicCommand> _magics = new();
    private CancellationToken _currentCancellation;
    private volatile ICellOutput? _currentOutput;
    private volatile CellStreams? _runningStreams;
    private CellStreams? _idleStreams; // late output between cells, to the last cell's output
    private bool _disposed;

    /// <summary>Creates a session and starts warming C# in the background.</summary>
    public NotebookSession(NotebookSessionOptions? options = null)
    {
        Options = options ?? new NotebookSessionOptions();
        Formatters = Options.Formatters ?? new FormatterRegistry();
        ConsoleCapture.Install();
        CSharp = new CSharpKernel(this);
        AddKernel(CSharp);
        foreach (var kernel in FrontEndKernel.All()) AddKernel(kernel);
        AddKernel(new ValueKernel());
        RegisterKernel(FSharpKernel.KernelInfo, s => new FSharpKernel(s));
        // #!python without #!connect: the python3 kernelspec (or $WORKBENCH_PYTHON_KERNELSPEC), started the first time a cell uses it.
        RegisterKernel(Languages.Jupyter.JupyterKernel.PythonInfo, _ => new Languages.Jupyter.JupyterKernel("python", Languages.Jupyter.JupyterKernel.PythonKernelSpecName));
        foreach (var magic in BuiltInMagics.All()) RegisterMagic(magic);
        Comms = new CommManager(() => _currentOutput);
        Widgets = new Workbench.Notebooks.Widgets.WidgetManager(Comms);
    }

    /// <summary>The session running on this logical call context (set while a cell runs), for display from any language.</summary>
    public static NotebookSession? Current => CurrentSession.Value;

    /// <summary>The options this session was created with.</summary>
    public NotebookSessionOptions Options { get; }

    /// <summary>The registry that formats results and displayed values.</summary>
    public FormatterRegistry Formatters { get; }

    /// <summary>The comms (Jupyter custom messages) of this session: targets front ends open comms to, and the comms open now.</summary>
    public CommManager Comms { get; }

    /// <summary>The widgets alive in this session (their state is what a notebook saves as its widget state).</summary>
    public Workbench.Notebooks.Widgets.WidgetManager Widgets { get; }

    /// <summary>The C# kernel (the default language).</summary>
    public CSharpKernel CSharp { get; }

    /// <summary>The kernel that runs code before any language magic, and cells whose metadata names no language.</summary>
    public string DefaultKernelName => Options.DefaultKernelName;

    /// <summary>Number of cells executed so far.</summary>
    public int ExecutionCount { get; private set; }

    /// <summary>The code of the C# submissions that compiled, in order.</summary>
    public IReadOnlyList<string> History => CSharp.History;

    /// <summary>The references C# cells compile against.</summary>
    public IReadOnlyList<MetadataReference> References => CSharp.References;

    /// <summary>The namespaces every C# cell imports.</summary>
    public static IReadOnlyList<string> Imports => CSharpKernel.Imports;

    /// <summary>The globals type of the C# scripts (for tools that compile cells, such as completion).</summary>
    public static Type GlobalsType => CSharpKernel.GlobalsType;

    /// <summary>The kernels started so far (others start on first use).</summary>
    public IReadOnlyList<ILanguageKernel> Kernels
    {
        get { lock (_kernelsLock) return _kernels.Values.Distinct().ToList(); }
    }

    /// <summary>Every kernel a cell can name: those started and those registered to start on first use.</summary>
    public IReadOnlyList<LanguageKernelInfo> KernelInfos
    {
        get
        {
            lock (_kernelsLock)
                return _kernels.Values.Distinct().Select(k => k.Info)
                    .Concat(_registered.Where(r => !_kernels.ContainsKey(r.Info.Name)).Select(r => r.Info)).ToList();
        }
    }

    /// <summary>The magic commands, in registration order.</summary>
    public IReadOnlyList<MagicCommand> Magics
    {
        get { lock (_magics) return _magics.ToList(); }
    }

    internal CancellationToken CurrentCancellation => _currentCancellation;

    internal ICellOutput? CurrentOutput => _currentOutput;

    /// <summary>Completes when C# is warm (the first cell waits for this anyway).</summary>
    public Task WarmAsync() => CSharp.WarmAsync();

    /// <summary>
    /// Starts the kernel of a name or alias, as a cell naming it would, and completes when it is warm (for F#: F#
    /// Interactive started and a first evaluation done). A cell that names the kernel meanwhile uses the same kernel
    /// and waits only for what is left of its start.
    /// </summary>
    /// <exception cref="ValueSharingException">No kernel has that name.</exception>
    public Task WarmKernelAsync(string nameOrAlias) => GetKernel(nameOrAlias).WarmAsync();

    /// <summary>Adds a started kernel (e.g. one <c>#!connect</c> made); a kernel of the same name is replaced and disposed.</summary>
    public void AddKernel(ILanguageKernel kernel)
    {
        ILanguageKernel? old;
        lock (_kernelsLock)
        {
            _kernels.TryGetValue(kernel.Info.Name, out old);
            _kernels[kernel.Info.Name] = kernel;
        }
        if (old is not null && !ReferenceEquals(old, kernel)) old.Dispose();
    }

    /// <summary>Registers a kernel that starts the first time a cell names it.</summary>
    public void RegisterKernel(LanguageKernelInfo info, Func<NotebookSession, ILanguageKernel> create)
    {
        lock (_kernelsLock) _registered.Add((info, create));
    }

    /// <summary>Adds a magic command (a later one of the same name wins).</summary>
    public void RegisterMagic(MagicCommand magic)
    {
        lock (_magics)
        {
            _magics.RemoveAll(m => m.Name == magic.Name);
            _magics.Add(magic);
        }
    }

    /// <summary>The kernel name for a magic name or alias ("c#" → "csharp"), or null when no kernel has it.</summary>
    public string? ResolveKernelName(string nameOrAlias)
    {
        lock (_kernelsLock)
        {
            foreach (var k in _kernels.Values)
                if (k.Info.IsNamed(nameOrAlias)) return k.Info.Name;
            foreach (var (info, _) in _registered)
                if (info.IsNamed(nameOrAlias)) return info.Name;
        }
        return null;
    }

    /// <summary>The kernel of a name or alias, started if it was only registered.</summary>
    /// <exception cref="ValueSharingException">No kernel has that name.</exception>
    public ILanguageKernel GetKernel(string nameOrAlias)
    {
        var name = ResolveKernelName(nameOrAlias)
            ?? throw new ValueSharingException($"no kernel named '{nameOrAlias}' (kernels: {string.Join(", ", KernelInfos.Select(k => k.Name))})");
        // A background warm-up and a cell may ask for the same kernel at once: only one of them creates it.
        lock (_createLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this); // a late warm-up must not start a kernel nobody disposes
            Func<NotebookSession, ILanguageKernel> create;
            lock (_kernelsLock)
            {
                if (_kernels.TryGetValue(name, out var k)) return k;
                create = _registered.First(r => r.Info.Name == name).Create;
            }
            var kernel = create(this);
            AddKernel(kernel);
            return kernel;
        }
    }

    /// <summary>Runs one cell. Side outputs go to <paramref name="output"/> as they happen.</summary>
    /// <param name="code">The cell's source.</param>
    /// <param name="output">Where streams and displays go.</param>
    /// <param name="cancellationToken">Cancelling it interrupts the cell.</param>
    /// <param name="kernelName">The cell's language from notebook metadata (null: <see cref="DefaultKernelName"/>).</param>
    /// <param name="storeHistory">False for Jupyter's store_history=false (and silent) requests: the execution count does not advance.</param>
    public async Task<CellExecutionResult> ExecuteAsync(string code, ICellOutput output, CancellationToken cancellationToken = default, string? kernelName = null,
        bool storeHistory = true)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(output);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var count = storeHistory ? ++ExecutionCount : ExecutionCount;
            using var cell = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _currentCancellation = cell.Token;
            _currentOutput = output;
            CurrentSession.Value = this;
            using var streams = new CellStreams(output, LateStreams);
            EndIdleStreams();
            _runningStreams = streams;
            ConsoleCapture.Current.Value = streams;
            try
            {
                return await RunCellAsync(count, code, kernelName, output, cell.Token).ConfigureAwait(false);
            }
            finally
            {
                streams.Flush();
                _runningStreams = null;
                ConsoleCapture.Current.Value = null;
                CurrentSession.Value = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Handles a comm message a front end sent (<paramref name="messageType"/> comm_open, comm_msg or comm_close) between
    /// cells: handlers run as a cell does (one at a time, <see cref="Current"/> set, display and Console output going to
    /// <paramref name="output"/>, the front end's request), so a widget's event can print or update a display.
    /// </summary>
    public async Task ReceiveCommAsync(string messageType, JsonObject content, JsonObject metadata, IReadOnlyList<byte[]> buffers, ICellOutput output)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(output);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        var previous = _currentOutput;
        try
        {
            _currentOutput = output;
            CurrentSession.Value = this;
            using var streams = new CellStreams(output);
            ConsoleCapture.Current.Value = streams;
            try
            {
                switch (messageType)
                {
                    case "comm_open": Comms.ReceiveOpen(content, metadata, buffers, output); break;
                    case "comm_msg": Comms.ReceiveMessage(content, metadata, buffers, output); break;
                    case "comm_close": Comms.ReceiveClose(content, metadata, buffers, output); break;
                    default: throw new ArgumentException($"'{messageType}' is not a comm message (comm_open, comm_msg, comm_close)", nameof(messageType));
                }
            }
            finally
            {
                streams.Flush();
                ConsoleCapture.Current.Value = null;
                CurrentSession.Value = null;
            }
        }
        finally
        {
            // Text a cell's background work writes later still goes to the last cell, not to this request.
            _currentOutput = previous ?? output;
            _gate.Release();
        }
    }

    // Where text goes that a cell writes after it ended: the running cell, else the last cell.
    private CellStreams? LateStreams()
    {
        if (_runningStreams is { } running) return running;
        lock (_kernelsLock) return _disposed || _currentOutput is not { } last ? null : _idleStreams ??= new CellStreams(last);
    }

    private void EndIdleStreams()
    {
        CellStreams? idle;
        lock (_kernelsLock) (idle, _idleStreams) = (_idleStreams, null);
        idle?.Dispose();
    }

    private async Task<CellExecutionResult> RunCellAsync(int count, string code, string? kernelName, ICellOutput output, CancellationToken token)
    {
        var start = kernelName is null ? DefaultKernelName : ResolveKernelName(kernelName) ?? kernelName;
        IReadOnlyList<CellPart> parts;
        try
        {
            if (ResolveKernelName(start) is null) throw new MagicException($"the cell's metadata names an unknown language '{kernelName}'", 1);
            parts = CellPart.Split(code, start, ResolveKernelName);
        }
        catch (MagicException e)
        {
            return new CellExecutionResult(count, null, MagicError(e.Message, e.Line));
        }

        // Kernels the cell names start now, so that a slow start (F# Interactive) overlaps the parts before theirs.
        foreach (var name in parts.Select(p => p.Kernel).Distinct())
        {
            try { GetKernel(name); }
            catch (Exception e) when (e is ValueSharingException or InvalidOperationException) { } // reported at its part
        }
        var lastCode = parts.Select((p, i) => (p, i)).LastOrDefault(x => x.p.Code is not null).i;
        var afterCell = new List<Func<Task>>();
        MimeBundle? result = null;
        CellError? error = null;
        var cancelled = false;
        for (var i = 0; i < parts.Count && error is null; i++)
        {
            var part = parts[i];
            ILanguageKernel kernel;
            try { kernel = GetKernel(part.Kernel); }
            catch (Exception e) when (e is ValueSharingException or InvalidOperationException)
            {
                error = MagicError($"cannot start kernel '{part.Kernel}': {e.Message}", part.Selector?.Line ?? 1);
                break;
            }
            if (part.Magic is { } magic)
            {
                error = await RunMagicAsync(magic, kernel, output, count, afterCell, token).ConfigureAwait(false);
                if (error is not null && token.IsCancellationRequested) cancelled = true;
                continue;
            }
            SubmissionResult r;
            try
            {
                r = await kernel.SubmitAsync(new Submission(part.Code!, count, output, i == lastCode) { Selector = part.Selector }, token).ConfigureAwait(false);
            }
            catch (MagicException e)
            {
                r = SubmissionResult.Failed(MagicError(e.Message, e.Line));
            }
            catch (ValueSharingException e)
            {
                r = SubmissionResult.Failed(MagicError(e.Message, part.Selector?.Line));
            }
            if (r.Error is not null)
            {
                error = r.Error;
                cancelled = r.Cancelled;
            }
            else if (r.Value is { } value)
            {
                if (i == lastCode) result = value;
                else Display(value, null);
            }
        }
        foreach (var action in afterCell)
        {
            try { await action().ConfigureAwait(false); }
            catch (Exception e) when (e is MagicException or ValueSharingException) { error ??= MagicError(e.Message, (e as MagicException)?.Line); }
        }
        return new CellExecutionResult(count, error is null ? result : null, error, cancelled);
    }

    private async Task<CellError?> RunMagicAsync(MagicLine line, ILanguageKernel kernel, ICellOutput output, int count, List<Func<Task>> afterCell, CancellationToken token)
    {
        var command = Magics.FirstOrDefault(m => m.IsNamed(line.Name));
        if (command is null)
            return MagicError($"unknown magic command '#!{line.Name}' on line {line.Line} (#!lsmagic lists the magic commands)", line.Line);
        if (line.AsksForHelp)
        {
            Display(MimeBundle.PlainText($"#!{command.Name}: {command.Summary}\n{command.Usage}"), null);
            return null;
        }
        try
        {
            await command.RunAsync(new MagicContext(this, kernel, line, output, count, afterCell, token)).ConfigureAwait(false);
            return null;
        }
        catch (MagicException e)
        {
            return MagicError(e.Message, e.Line);
        }
        catch (Exception e) when (e is ValueSharingException or InputUnavailableException)
        {
            return MagicError($"#!{line.Name}: {e.Message}", line.Line);
        }
        catch (Languages.Jupyter.JupyterKernelException e)
        {
            // A Jupyter kernel that is not installed: its own error name, so a runner can skip such cells.
            return new CellError("KernelNotAvailable", $"#!{line.Name}: {e.Message}", new[] { $"KernelNotAvailable: #!{line.Name}: {e.Message}" }, line.Line);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return new CellError("OperationCanceledException", "The cell was interrupted.", new[] { "OperationCanceledException: The cell was interrupted." });
        }
    }

    private static CellError MagicError(string message, int? line) => new("MagicError", message, new[] { "MagicError: " + message }, line);

    /// <summary>Shows a bundle as a display output of the running cell (flushing its text first so the order holds).</summary>
    public void Display(MimeBundle bundle, string? displayId)
    {
        ConsoleCapture.Current.Value?.Flush();
        var output = _currentOutput;
        if (output is null) return;
        output.Display(bundle, displayId);
    }

    /// <summary>Replaces an earlier display of the running session.</summary>
    public void UpdateDisplay(MimeBundle bundle, string displayId)
    {
        ConsoleCapture.Current.Value?.Flush();
        _currentOutput?.UpdateDisplay(bundle, displayId);
    }

    /// <summary>
    /// Asks the front end of the running cell for a line of input (<c>Console.ReadLine()</c>, <c>Kernel.GetInputAsync</c>,
    /// <c>@input:</c>); an interrupt cancels the wait.
    /// </summary>
    /// <exception cref="InputUnavailableException">No cell is running, or its front end cannot answer.</exception>
    public Task<string> RequestInputAsync(string prompt, bool password)
    {
        var output = _currentOutput ?? throw new InputUnavailableException(prompt, "no cell is running");
        ConsoleCapture.Current.Value?.Flush(); // what the cell printed before asking shows before the prompt
        return output.RequestInputAsync(prompt, password, _currentCancellation);
    }

    /// <summary>Formats a value for display: a <see cref="MimeBundle"/> is shown as it is, anything else through <see cref="Formatters"/>.</summary>
    public MimeBundle Format(object? value) => value as MimeBundle ?? Formatters.Format(value);

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_createLock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        EndIdleStreams();
        foreach (var k in Kernels) k.Dispose();
        _gate.Dispose();
    }
}

using System.Reflection;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;
using Workbench.Kernel.History;
using Workbench.Protocol;
using Workbench.Notebooks.Completion;
using Workbench.Notebooks.Execution;
using Workbench.Kernel.Comms;

namespace Workbench.Kernel.Hosting;

/// <summary>
/// The workbench-csharp Jupyter kernel (messaging protocol 5.3): binds the five channels of a connection file and
/// serves requests with a <see cref="NotebookSession"/>. Threads: shell (requests run one at a time, cells included),
/// control (own thread: answers interrupts and shutdowns while a cell runs), heartbeat (echo), IOPub (single
/// writer), and a watcher for the parent process named by JPY_PARENT_PID.
/// </summary>
public sealed class KernelServer : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly ConnectionInfo _connection;
    private readonly NotebookSessionOptions _options;
    private readonly TextWriter _log;
    private readonly MessageSigner _signer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _cellLock = new();
    private readonly ManualResetEventSlim _noCellRunning = new(true); // the completion warm-up waits on it
    private long _lastCellEnded; // Stopwatch timestamp of the last cell's end; 0 until a cell has run

    // Cells sent back to back (Run All, a script, a benchmark) keep both cores: the background warm-ups start once no
    // cell has run for this long. Measured on 2 cores: a later F# cell right after start took 23–27 ms while the
    // completion warm-up ran beside it, 12–14 ms once the kernel had been idle.
    private static readonly TimeSpan IdleBeforeWarmUp = TimeSpan.FromSeconds(1);
    private NotebookSession _session;
    private CellCompletion _completion;
    private readonly KernelHistory _history;
    private IopubChannel? _iopub;
    private StdinChannel? _stdin;
    private CancellationTokenSource? _runningCell;

    /// <summary>Creates a kernel for a connection (the session starts warming Roslyn at once).</summary>
    public KernelServer(ConnectionInfo connection, NotebookSessionOptions? options = null, TextWriter? log = null)
    {
        _connection = connection;
        _options = options ?? new NotebookSessionOptions();
        _log = log ?? Console.Error;
        _signer = new MessageSigner(connection.Key);
        _session = new NotebookSession(_options);
        _completion = new CellCompletion(_session);
        _history = new KernelHistory(HistoryLocation.DefaultFile(), _log);
    }

    /// <summary>The kernel_info_reply content.</summary>
    public static JsonObject KernelInfo()
    {
        var version = typeof(KernelServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";
        return new JsonObject
        {
            ["status"] = "ok",
            ["protocol_version"] = JupyterMessage.ProtocolVersion,
            ["implementation"] = "workbench-csharp",
            ["implementation_version"] = version.Split('+')[0],
            ["language_info"] = new JsonObject
            {
                ["name"] = "csharp",
                ["version"] = "14.0",
                ["mimetype"] = "text/x-csharp",
                ["file_extension"] = ".cs",
                ["pygments_lexer"] = "csharp",
                ["codemirror_mode"] = "text/x-csharp",
            },
            ["banner"] = $"Workbench C# kernel (Roslyn scripting, .NET {Environment.Version})",
            ["help_links"] = new JsonArray(),
        };
    }

    /// <summary>Cancels the running cell's token (interrupt_request, SIGINT).</summary>
    public void Interrupt()
    {
        lock (_cellLock) _runningCell?.Cancel();
    }

    /// <summary>Asks the kernel to stop; <see cref="Run"/> returns soon after.</summary>
    public void Stop() => _stopping.Cancel();

    /// <summary>Binds, serves until a shutdown_request, SIGTERM-like stop or the parent's exit, then releases the sockets.</summary>
    public int Run()
    {
        ConsoleCancelEventHandler onSigint = (_, e) =>
        {
            e.Cancel = true; // jupyter_client sends SIGINT to interrupt, even at shutdown: never die of it
            Interrupt();
        };
        Console.CancelKeyPress += onSigint;
        var threads = new List<Thread>();
        try
        {
            _iopub = new IopubChannel(_connection.Endpoint(_connection.IopubPort), _signer);
            var ready = new CountdownEvent(3);
            var errors = new List<string>();
            threads.Add(Start("heartbeat", () => Heartbeat(ready, errors)));
            threads.Add(Start("control", () => Serve(_connection.ControlPort, "control", ready, errors)));
            threads.Add(Start("shell", () => Serve(_connection.ShellPort, "shell", ready, errors)));
            ready.Wait();
            if (errors.Count > 0)
            {
                foreach (var e in errors) _log.WriteLine($"workbench kernel: {e}");
                Stop();
                return 1;
            }
            _stdin = new StdinChannel(_connection.Endpoint(_connection.StdinPort), _signer, _log);
            ParentProcessWatch.Start(_stopping.Token, pid => { _log.WriteLine($"workbench kernel: parent process {pid} is gone; exiting"); Stop(); });
            _log.WriteLine($"workbench kernel: listening on {_connection.Ip} (shell {_connection.ShellPort})");
            _iopub.Publish(JupyterMessage.Create("status", new JsonObject { ["execution_state"] = "starting" }, null));
            WarmUp();

            _stopping.Token.WaitHandle.WaitOne();
            Interrupt();
            foreach (var t in threads) t.Join(TimeSpan.FromSeconds(3));
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onSigint;
            _stdin?.Dispose();
            _iopub?.Dispose();
            NetMQConfig.Cleanup(block: false);
        }
    }

    // Completion's workspace takes seconds to build: it is built now, in the background, so that the first Tab a user
    // presses is answered at once; kernel_info is already being served. It starts after the session's own Roslyn
    // warm-up and, when a cell is running by then (a first cell waits for that same warm-up, then compiles), after
    // that cell: it never competes with it, and no completion could be served during a cell anyway (the shell runs one
    // request at a time). Then, the same way (after completion, once no cell runs), F# Interactive is started and
    // warmed, which takes seconds and a first F# cell would otherwise wait for; a cell that names F# earlier starts
    // it itself and the warm-up only waits for it. The log lines say when each is done (tests wait for them).
    private void WarmUp()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var token = _stopping.Token;
        var completion = Task.Run(async () =>
        {
            await _session.WarmAsync().ConfigureAwait(false);
            WaitUntilIdle(token);
            await _completion.WarmAsync().ConfigureAwait(false);
        }, token);
        Report(completion, "completion");
        if (!FSharpWarmUp) return;
        var fsharp = completion.ContinueWith(async _ =>
        {
            WaitUntilIdle(token);
            await _session.WarmKernelAsync("fsharp").ConfigureAwait(false);
        }, token, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        Report(fsharp, "F#");

        void Report(Task warm, string what) => warm.ContinueWith(t =>
        {
            if (t.IsCanceled || token.IsCancellationRequested) return; // the kernel stopped first
            _log.WriteLine(t.IsCompletedSuccessfully
                ? $"workbench kernel: {what} is warm ({clock.ElapsedMilliseconds} ms after the sockets were bound)"
                : $"workbench kernel: {what} warm-up failed: {t.Exception?.GetBaseException().Message}");
        }, TaskScheduler.Default);
    }

    // Returns when no cell is running and none has ended within IdleBeforeWarmUp (at once before the first cell, so that
    // a Tab pressed right after start finds completion warming already).
    private void WaitUntilIdle(CancellationToken token)
    {
        while (true)
        {
            _noCellRunning.Wait(token);
            long ended = Volatile.Read(ref _lastCellEnded);
            if (ended == 0) return;
            var quiet = System.Diagnostics.Stopwatch.GetElapsedTime(ended);
            if (quiet >= IdleBeforeWarmUp)
            {
                if (_noCellRunning.IsSet && Volatile.Read(ref _lastCellEnded) == ended) return;
                continue;
            }
            if (token.WaitHandle.WaitOne(IdleBeforeWarmUp - quiet)) token.ThrowIfCancellationRequested();
        }
    }

    // Opt-in (WORKBENCH_FSHARP_WARMUP=1): F# Interactive costs a C#-only session about 200 MB and seconds of CPU, so
    // by default it starts with the first cell that names F#, as the official kernel's does.
    private static bool FSharpWarmUp => Environment.GetEnvironmentVariable("WORKBENCH_FSHARP_WARMUP") == "1";

    private static Thread Start(string name, Action body)
    {
        var t = new Thread(() => body()) { IsBackground = true, Name = name };
        t.Start();
        return t;
    }

    private void Heartbeat(CountdownEvent ready, List<string> errors)
    {
        try
        {
            using var socket = new ResponseSocket();
            socket.Options.Linger = TimeSpan.Zero;
            try { socket.Bind(_connection.Endpoint(_connection.HeartbeatPort)); }
            catch (Exception e) { lock (errors) errors.Add($"heartbeat: cannot bind port {_connection.HeartbeatPort}: {e.Message}"); return; }
            finally { ready.Signal(); }
            while (!_stopping.IsCancellationRequested)
            {
                if (socket.TryReceiveFrameBytes(PollInterval, out var ping, out var more))
                {
                    var frames = new List<byte[]> { ping };
                    while (more) frames.Add(socket.ReceiveFrameBytes(out more));
                    socket.SendMultipartBytes(frames);
                }
            }
        }
        catch (TerminatingException) { }
    }

    private void Serve(int port, string channel, CountdownEvent ready, List<string> errors)
    {
        try
        {
            using var socket = new RouterSocket();
            socket.Options.Linger = TimeSpan.FromMilliseconds(500);
            try { socket.Bind(_connection.Endpoint(port)); }
            catch (Exception e) { lock (errors) errors.Add($"{channel}: cannot bind port {port}: {e.Message}"); return; }
            finally { ready.Signal(); }
            List<byte[]> frames = new();
            while (!_stopping.IsCancellationRequested)
            {
                if (!socket.TryReceiveMultipartBytes(PollInterval, ref frames!)) continue;
                if (!WireFormat.TryDecode(frames, _signer, out var request, out var error))
                {
                    _log.WriteLine($"workbench kernel: dropped a message on {channel}: {error}");
                    continue;
                }
                Handle(socket, channel, request!);
            }
        }
        catch (TerminatingException) { }
    }

    private void Handle(RouterSocket socket, string channel, JupyterMessage request)
    {
        Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
        try
        {
            switch (request.MessageType)
            {
                case "kernel_info_request":
                    Reply(socket, request, "kernel_info_reply", KernelInfo());
                    break;
                case "execute_request" when channel == "shell":
                    Execute(socket, request);
                    break;
                case "is_complete_request":
                    var code = (string?)request.Content["code"] ?? "";
                    Reply(socket, request, "is_complete_reply", CellCompletion.IsComplete(code)
                        ? new JsonObject { ["status"] = "complete" }
                        : new JsonObject { ["status"] = "incomplete", ["indent"] = "    " });
                    break;
                case "complete_request":
                    Complete(socket, request);
                    break;
                case "inspect_request":
                    Inspect(socket, request);
                    break;
                case var type when CommRequests.Handles(type) && (channel == "shell" || type == "comm_info_request"):
                    CommRequests.Handle(_session, _iopub!, request, (replyType, content) => Reply(socket, request, replyType, content));
                    break;
                case "history_request":
                    Reply(socket, request, "history_reply", _history.Reply(request.Content));
                    break;
                case "interrupt_request":
                    Interrupt();
                    Reply(socket, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                    break;
                case "shutdown_request":
                    // The protocol's restart flag only says a new kernel follows: the manager starts it; this process exits.
                    var restart = (bool?)request.Content["restart"] ?? false;
                    Reply(socket, request, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
                    Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
                    Thread.Sleep(50); // let the reply and status leave before the sockets close
                    Stop();
                    return;
                default:
                    _log.WriteLine($"workbench kernel: unsupported {request.MessageType} on {channel}");
                    break;
            }
        }
        catch (Exception e) when (e is not TerminatingException)
        {
            _log.WriteLine($"workbench kernel: {request.MessageType} failed: {e}");
        }
        finally
        {
            if (request.MessageType != "shutdown_request") Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
        }
    }

    private void Execute(RouterSocket socket, JupyterMessage request)
    {
        var code = (string?)request.Content["code"] ?? "";
        var silent = (bool?)request.Content["silent"] ?? false;
        var storeHistory = !silent && ((bool?)request.Content["store_history"] ?? true);
        var stopOnError = (bool?)request.Content["stop_on_error"] ?? true;
        var allowStdin = (bool?)request.Content["allow_stdin"] ?? false;
        // One counter, the session's: a request that stores no history (or is silent) does not advance it.
        var count = storeHistory ? _session.ExecutionCount + 1 : _session.ExecutionCount;
        if (!silent) Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);

        var cts = new CancellationTokenSource();
        lock (_cellLock) _runningCell = cts;
        _noCellRunning.Reset();
        CellExecutionResult result;
        try
        {
            var output = new KernelOutput(_iopub!, request, silent, allowStdin ? _stdin : null);
            result = _session.ExecuteAsync(code, output, cts.Token, CellLanguage.FromMetadata(request.Metadata), storeHistory: storeHistory)
                .GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not TerminatingException)
        {
            // An engine failure still gets a reply: a client waiting for execute_reply must never hang.
            _log.WriteLine($"workbench kernel: execute failed: {e}");
            result = new CellExecutionResult(count, null, new CellError("KernelError", e.Message, new[] { $"KernelError: {e.Message}" }));
        }
        finally
        {
            lock (_cellLock) _runningCell = null;
            Volatile.Write(ref _lastCellEnded, System.Diagnostics.Stopwatch.GetTimestamp());
            _noCellRunning.Set();
            cts.Dispose();
        }
        if (storeHistory) _history.Record(count, code, result.Error is null ? result.Result?.GetText("text/plain") : null);

        if (result.Error is { } error)
        {
            var traceback = new JsonArray(error.Traceback.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());
            if (!silent)
                Publish("error", new JsonObject { ["ename"] = error.Name, ["evalue"] = error.Value, ["traceback"] = traceback.DeepClone() }, request);
            // What is already waiting is taken before the error is answered: a request the client sends once it has seen
            // the error reply comes after it, so it is never taken for one that was queued behind the failing cell.
            var queued = stopOnError ? TakeQueued(socket) : [];
            Reply(socket, request, "execute_reply", new JsonObject
            {
                ["status"] = "error",
                ["execution_count"] = count,
                ["ename"] = error.Name,
                ["evalue"] = error.Value,
                ["traceback"] = traceback,
            });
            AbortQueued(socket, queued);
        }
        else
        {
            if (result.Result is { } bundle && !silent)
                Publish("execute_result", new JsonObject
                {
                    ["execution_count"] = count,
                    ["data"] = bundle.DataToJson(),
                    ["metadata"] = bundle.Metadata.DeepClone(),
                }, request);
            Reply(socket, request, "execute_reply", new JsonObject
            {
                ["status"] = "ok",
                ["execution_count"] = count,
                ["user_expressions"] = UserExpressions.Evaluate(_session, request.Content["user_expressions"],
                    () => new KernelOutput(_iopub!, request, silent: true), CellLanguage.FromMetadata(request.Metadata)),
                ["payload"] = new JsonArray(),
            });
        }
    }

    // After an error, execute requests already waiting (not those sent later) are answered "aborted", as ipykernel does
    // with stop_on_error. Taking them and answering them are two steps, so that the error's reply goes out in between.
    private List<JupyterMessage> TakeQueued(RouterSocket socket)
    {
        var taken = new List<JupyterMessage>();
        List<byte[]> frames = new();
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames!))
        {
            if (WireFormat.TryDecode(frames, _signer, out var queued, out var error)) taken.Add(queued!);
            else _log.WriteLine($"workbench kernel: dropped a message on shell: {error}");
        }
        return taken;
    }

    private void AbortQueued(RouterSocket socket, List<JupyterMessage> taken)
    {
        foreach (var queued in taken)
        {
            if (queued.MessageType != "execute_request")
            {
                Handle(socket, "shell", queued);
                continue;
            }
            Publish("status", new JsonObject { ["execution_state"] = "busy" }, queued);
            Reply(socket, queued, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = _session.ExecutionCount });
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, queued);
        }
    }

    private void Complete(RouterSocket socket, JupyterMessage request)
    {
        var code = (string?)request.Content["code"] ?? "";
        var cursor = CodePoints.ToUtf16Index(code, (int?)request.Content["cursor_pos"] ?? code.Length);
        var result = new PolyglotCompletion(_session, _completion).CompleteAsync(code, cursor).GetAwaiter().GetResult();
        Reply(socket, request, "complete_reply", new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(result.Matches.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray()),
            ["cursor_start"] = CodePoints.FromUtf16Index(code, result.CursorStart),
            ["cursor_end"] = CodePoints.FromUtf16Index(code, result.CursorEnd),
            ["metadata"] = new JsonObject(),
        });
    }

    private void Inspect(RouterSocket socket, JupyterMessage request)
    {
        var code = (string?)request.Content["code"] ?? "";
        var cursor = CodePoints.ToUtf16Index(code, (int?)request.Content["cursor_pos"] ?? code.Length);
        var detail = (int?)request.Content["detail_level"] ?? 0;
        var text = new PolyglotCompletion(_session, _completion).InspectAsync(code, cursor, detailLevel: detail).GetAwaiter().GetResult();
        Reply(socket, request, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = text is not null,
            ["data"] = text is null ? new JsonObject() : new JsonObject { ["text/plain"] = text },
            ["metadata"] = new JsonObject(),
        });
    }

    private void Reply(RouterSocket socket, JupyterMessage request, string type, JsonObject content)
    {
        var reply = JupyterMessage.Create(type, content, request, request.Identities);
        socket.SendMultipartBytes(WireFormat.Encode(reply, _signer));
    }

    private void Publish(string type, JsonObject content, JupyterMessage parent) =>
        _iopub?.Publish(JupyterMessage.Create(type, content, parent));

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopping.Cancel();
        _completion.Dispose();
        _history.Dispose();
        _session.Dispose();
        _stopping.Dispose();
    }
}

// Over 400 lines on purpose: one connection's sockets, its poller thread, the pending requests and the heartbeat
// share their state and lifetime; split, each would need the others' private fields.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace Workbench.Protocol.Client;

/// <summary>
/// A client of one Jupyter kernel process: writes a connection file, starts the kernel from its kernelspec, talks
/// on shell, IOPub, stdin and control, checks the heartbeat, routes IOPub messages to the request whose msg_id they
/// answer, interrupts (SIGINT or interrupt_request, as the kernelspec says) and shuts the kernel down.
/// </summary>
public sealed class JupyterClient : IDisposable
{
    private static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(10);
    private const int HeartbeatMissesAllowed = 3;

    private readonly ConnectionInfo _connection;
    private readonly MessageSigner _signer;
    private readonly string _session = Guid.NewGuid().ToString("N");
    private readonly string _connectionFile;
    private readonly Process _process;
    private readonly NetMQPoller _poller;
    private readonly NetMQQueue<(NetMQSocket Socket, List<byte[]> Frames)> _sends = new();
    private readonly DealerSocket _shell;
    private readonly DealerSocket _control;
    private readonly DealerSocket _stdin;
    private readonly SubscriberSocket _iopub;
    private readonly ConcurrentDictionary<string, Pending> _pending = new();
    private readonly Queue<string> _stderrTail = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _heartbeat;
    private volatile bool _iopubSeen;
    private volatile string? _deathReason;
    private int _disposed;

    private JupyterClient(KernelSpec spec, ConnectionInfo connection, string connectionFile, Process process)
    {
        Spec = spec;
        _connection = connection;
        _signer = new MessageSigner(connection.Key);
        _connectionFile = connectionFile;
        _process = process;
        _shell = Dealer(connection.ShellPort);
        _control = Dealer(connection.ControlPort);
        _stdin = Dealer(connection.StdinPort);
        _iopub = new SubscriberSocket();
        _iopub.Options.Linger = TimeSpan.Zero;
        _iopub.Connect(connection.Endpoint(connection.IopubPort));
        _iopub.SubscribeToAnyTopic();
        _shell.ReceiveReady += (_, e) => OnReply(e.Socket);
        _control.ReceiveReady += (_, e) => OnReply(e.Socket);
        _stdin.ReceiveReady += (_, e) => e.Socket.ReceiveMultipartBytes();
        _iopub.ReceiveReady += (_, e) => OnIopub(e.Socket);
        _sends.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var item, TimeSpan.Zero))
            {
                var message = new NetMQMessage();
                foreach (var f in item.Frames) message.Append(f);
                item.Socket.SendMultipartMessage(message);
            }
        };
        _poller = new NetMQPoller { _shell, _control, _stdin, _iopub, _sends };
        _poller.RunAsync($"jupyter-client-{spec.Name}");
        _heartbeat = new Thread(HeartbeatLoop) { IsBackground = true, Name = $"jupyter-heartbeat-{spec.Name}" };
        _heartbeat.Start();
    }

    /// <summary>The kernelspec this kernel was started from.</summary>
    public KernelSpec Spec { get; }

    /// <summary>The kernel_info_reply content (language_info, implementation, …).</summary>
    public JsonObject KernelInfo { get; private set; } = new();

    /// <summary>The kernel's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Null while the kernel lives; why it died otherwise ("the python3 kernel died (exit code 1)").</summary>
    public string? DeathReason => _deathReason;

    /// <summary>True when the kernel process exited or stopped answering heartbeats.</summary>
    public bool IsDead => _deathReason is not null;

    /// <summary>The exit code of the kernel process, once it exited.</summary>
    public int? ExitCode
    {
        get
        {
            try { return _process.HasExited ? _process.ExitCode : null; }
            catch (InvalidOperationException) { return null; }
        }
    }

    /// <summary>Raised once, on a background thread, when the kernel dies.</summary>
    public event Action<string>? Died;

    /// <summary>
    /// Writes a connection file (random free ports on 127.0.0.1, a random HMAC key), starts the kernel process with
    /// the kernelspec's argv, connects the sockets and completes after the kernel_info handshake (IOPub included).
    /// </summary>
    public static async Task<JupyterClient> StartAsync(KernelSpec spec, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var ports = FreePorts(5);
        var connection = new ConnectionInfo
        {
            Transport = "tcp", Ip = "127.0.0.1",
            ShellPort = ports[0], IopubPort = ports[1], StdinPort = ports[2], ControlPort = ports[3], HeartbeatPort = ports[4],
            Key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        };
        var file = Path.Combine(Path.GetTempPath(), $"kernel-workbench-{Guid.NewGuid():N}.json");
        var json = new JsonObject
        {
            ["shell_port"] = connection.ShellPort, ["iopub_port"] = connection.IopubPort, ["stdin_port"] = connection.StdinPort,
            ["control_port"] = connection.ControlPort, ["hb_port"] = connection.HeartbeatPort, ["ip"] = connection.Ip,
            ["key"] = connection.Key, ["transport"] = connection.Transport, ["signature_scheme"] = connection.SignatureScheme,
            ["kernel_name"] = spec.Name,
        };
        File.WriteAllText(file, json.ToJsonString());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var argv = spec.CommandLine(file);
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in argv.Skip(1)) start.ArgumentList.Add(a);
        foreach (var (k, v) in spec.Environment) start.Environment[k] = v;
        // ipykernel exits when this process does (its parent poller watches JPY_PARENT_PID).
        start.Environment["JPY_PARENT_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {argv[0]}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            File.Delete(file);
            throw new InvalidOperationException($"cannot start the {spec.Name} kernel: {argv[0]}: {e.Message} (kernelspec {Path.Combine(spec.Directory, "kernel.json")})", e);
        }
        var client = new JupyterClient(spec, connection, file, process);
        process.EnableRaisingEvents = true;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => client.OnStderr(e.Data);
        process.Exited += (_, _) => client.MarkDead(null);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (process.HasExited) client.MarkDead(null);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            await client.HandshakeAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new TimeoutException($"the {spec.Name} kernel did not answer kernel_info_request within {timeout.TotalSeconds:0} s");
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return client;
    }

    private async Task HandshakeAsync(CancellationToken token)
    {
        var reply = await RequestAsync("kernel_info_request", new JsonObject(), token).ConfigureAwait(false);
        KernelInfo = reply.Content;
        // A SUB socket drops what was published before its subscription reached the kernel: ask again until IOPub
        // carries the status of one of our requests, so no output of the first execution can be lost.
        while (!_iopubSeen)
        {
            token.ThrowIfCancellationRequested();
            await RequestAsync("kernel_info_request", new JsonObject(), token).ConfigureAwait(false);
            await Task.Delay(200, token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends execute_request and completes with the execute_reply after IOPub went idle for it; every IOPub message
    /// of this execution goes to <paramref name="onIopub"/> (on the client's thread, in order).
    /// </summary>
    /// <param name="code">The code to run.</param>
    /// <param name="silent">Run without publishing outputs or counting the execution.</param>
    /// <param name="onIopub">Receives this execution's IOPub messages.</param>
    /// <param name="userExpressions">Expressions the kernel evaluates after the code, returned in the reply.</param>
    /// <param name="storeHistory">Whether the kernel records the code in its history.</param>
    /// <param name="extraContent">Fields added to the request's content. Kernels ignore fields they do not know, and
    /// code running in IPython can read them (<c>get_ipython().kernel.get_parent()['content']</c>): a way to hand a
    /// large value to the kernel without making it parse the value as source code.</param>
    /// <exception cref="KernelDiedException">The kernel died before replying.</exception>
    public Task<JupyterMessage> ExecuteAsync(string code, bool silent, Action<JupyterMessage>? onIopub, JsonObject? userExpressions = null, bool storeHistory = true,
        JsonObject? extraContent = null)
    {
        var content = new JsonObject
        {
            ["code"] = code, ["silent"] = silent, ["store_history"] = storeHistory && !silent,
            ["user_expressions"] = userExpressions ?? new JsonObject(), ["allow_stdin"] = false, ["stop_on_error"] = true,
        };
        if (extraContent is not null)
            foreach (var (key, value) in extraContent.ToList())
            {
                if (content.ContainsKey(key)) throw new ArgumentException($"'{key}' is a field of execute_request itself", nameof(extraContent));
                extraContent.Remove(key);
                content[key] = value;
            }
        return Send(_shell, "execute_request", content, onIopub, waitForIdle: true, CancellationToken.None);
    }

    /// <summary>Sends a shell request (complete_request, inspect_request, kernel_info_request, …) and returns its reply.</summary>
    public Task<JupyterMessage> RequestAsync(string messageType, JsonObject content, CancellationToken cancellationToken) =>
        Send(_shell, messageType, content, null, waitForIdle: false, cancellationToken);

    /// <summary>Interrupts the running execution: SIGINT for interrupt_mode "signal", interrupt_request on control for "message".</summary>
    public async Task InterruptAsync()
    {
        if (IsDead) return;
        if (Spec.InterruptMode == "message")
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await Send(_control, "interrupt_request", new JsonObject(), null, false, limit.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
            return;
        }
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("interrupt_mode \"signal\" needs a POSIX system");
        _ = Kill(_process.Id, SigInt);
    }

    /// <summary>Asks the kernel to shut down (shutdown_request on control), waits for it to exit, kills it otherwise.</summary>
    public async Task ShutdownAsync(TimeSpan timeout)
    {
        if (!IsDead)
        {
            try
            {
                using var limit = new CancellationTokenSource(timeout);
                await Send(_control, "shutdown_request", new JsonObject { ["restart"] = false }, null, false, limit.Token).ConfigureAwait(false);
                await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or KernelDiedException or InvalidOperationException) { }
        }
        KillProcess();
    }

    /// <summary>Kills the kernel process (for tests of a dying kernel and as the last step of shutdown).</summary>
    public void KillProcess()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }

    private Task<JupyterMessage> Send(NetMQSocket socket, string type, JsonObject content, Action<JupyterMessage>? onIopub, bool waitForIdle, CancellationToken token)
    {
        if (_deathReason is { } reason) return Task.FromException<JupyterMessage>(new KernelDiedException(reason, ExitCode));
        var message = NewMessage(type, content);
        var id = (string)message.Header["msg_id"]!;
        var pending = new Pending(onIopub, waitForIdle);
        _pending[id] = pending;
        if (token.CanBeCanceled)
            pending.Registration = token.Register(() =>
            {
                if (_pending.TryRemove(id, out var p)) p.Completion.TrySetCanceled(token);
            });
        _sends.Enqueue((socket, WireFormat.Encode(message, _signer)));
        // The kernel may have died between the check above and the enqueue.
        if (_deathReason is not null) FailAll();
        return pending.Completion.Task;
    }

    private JupyterMessage NewMessage(string type, JsonObject content) => new()
    {
        Header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString("N"), ["session"] = _session, ["username"] = Environment.UserName,
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["msg_type"] = type, ["version"] = JupyterMessage.ProtocolVersion,
        },
        Content = content,
    };

    private void OnReply(NetMQSocket socket)
    {
        var frames = socket.ReceiveMultipartBytes();
        if (!WireFormat.TryDecode(frames, _signer, out var message, out _) || message is null) return;
        var parent = (string?)message.ParentHeader["msg_id"];
        if (parent is null || !_pending.TryGetValue(parent, out var pending)) return;
        lock (pending)
        {
            pending.Reply = message;
            if (pending.WaitForIdle && !pending.Idle) return;
        }
        Complete(parent, pending);
    }

    private void OnIopub(NetMQSocket socket)
    {
        var frames = socket.ReceiveMultipartBytes();
        if (!WireFormat.TryDecode(frames, _signer, out var message, out _) || message is null) return;
        var parent = (string?)message.ParentHeader["msg_id"];
        if (parent is not null && (string?)message.ParentHeader["session"] == _session) _iopubSeen = true;
        if (parent is null || !_pending.TryGetValue(parent, out var pending)) return;
        if (message.MessageType == "status")
        {
            if ((string?)message.Content["execution_state"] != "idle") return;
            lock (pending)
            {
                pending.Idle = true;
                if (pending.Reply is null || !pending.WaitForIdle) return;
            }
            Complete(parent, pending);
            return;
        }
        try { pending.OnIopub?.Invoke(message); }
        catch (Exception) { /* an output sink's failure must not stop the client's thread */ }
    }

    private void Complete(string id, Pending pending)
    {
        if (!_pending.TryRemove(id, out _)) return;
        pending.Registration.Dispose();
        pending.Completion.TrySetResult(pending.Reply!);
    }

    private void OnStderr(string? line)
    {
        if (line is null) return;
        lock (_stderrTail)
        {
            _stderrTail.Enqueue(line);
            while (_stderrTail.Count > 20) _stderrTail.Dequeue();
        }
    }

    /// <summary>The kernel's last lines on stderr (for error messages when it dies).</summary>
    public string StderrTail()
    {
        lock (_stderrTail) return string.Join("\n", _stderrTail);
    }

    private void MarkDead(string? why)
    {
        if (_deathReason is not null) return;
        if (why is null)
        {
            // Exited fires before the exit code is readable on some platforms: wait for it.
            try { _process.WaitForExit(); } catch (InvalidOperationException) { }
            why = $"the {Spec.Name} kernel died (exit code {ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})";
        }
        if (Interlocked.CompareExchange(ref _deathReason, why, null) is not null) return;
        FailAll();
        if (Volatile.Read(ref _disposed) == 0) Died?.Invoke(why);
    }

    private void FailAll()
    {
        foreach (var id in _pending.Keys.ToList())
            if (_pending.TryRemove(id, out var p))
                p.Completion.TrySetException(new KernelDiedException(_deathReason!, ExitCode));
    }

    private void HeartbeatLoop()
    {
        var misses = 0;
        // Misses count only once the kernel has answered a first ping: a kernel still starting (a loaded machine can take
        // a minute to import ipykernel) is not dead, and its start has its own limit (the kernel_info handshake).
        var answered = false;
        var socket = HeartbeatSocket();
        try
        {
            while (!_stop.IsCancellationRequested && !IsDead)
            {
                socket.SendFrame("ping"u8.ToArray());
                if (socket.TryReceiveFrameBytes(HeartbeatTimeout, out _))
                {
                    misses = 0;
                    answered = true;
                }
                else
                {
                    // A REQ socket that lost its reply cannot send again: start over with a new one.
                    socket.Dispose();
                    socket = HeartbeatSocket();
                    if (answered && ++misses >= HeartbeatMissesAllowed && !_stop.IsCancellationRequested)
                    {
                        MarkDead($"the {Spec.Name} kernel stopped answering heartbeats ({misses} missed)");
                        KillProcess();
                        return;
                    }
                }
                _stop.Token.WaitHandle.WaitOne(HeartbeatPeriod);
            }
        }
        finally
        {
            socket.Dispose();
        }
    }

    private RequestSocket HeartbeatSocket()
    {
        var socket = new RequestSocket();
        socket.Options.Linger = TimeSpan.Zero;
        socket.Connect(_connection.Endpoint(_connection.HeartbeatPort));
        return socket;
    }

    private DealerSocket Dealer(int port)
    {
        var socket = new DealerSocket();
        socket.Options.Linger = TimeSpan.Zero;
        socket.Options.Identity = System.Text.Encoding.ASCII.GetBytes($"{_session}-{port}");
        socket.Connect(_connection.Endpoint(port));
        return socket;
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var l in listeners) l.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }

    private const int SigInt = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Stops the sockets and kills the process if it still runs (call <see cref="ShutdownAsync"/> first for a clean exit).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        KillProcess();
        Interlocked.CompareExchange(ref _deathReason, $"the {Spec.Name} kernel was shut down", null);
        FailAll();
        try { _poller.Stop(); } catch (InvalidOperationException) { }
        _poller.Dispose();
        _shell.Dispose();
        _control.Dispose();
        _stdin.Dispose();
        _iopub.Dispose();
        _sends.Dispose();
        _heartbeat.Join(TimeSpan.FromSeconds(2));
        try { File.Delete(_connectionFile); } catch (IOException) { }
        _process.Dispose();
    }

    private sealed class Pending(Action<JupyterMessage>? onIopub, bool waitForIdle)
    {
        public Action<JupyterMessage>? OnIopub { get; } = onIopub;
        public bool WaitForIdle { get; } = waitForIdle;
        public JupyterMessage? Reply { get; set; }
        public bool Idle { get; set; }
        public CancellationTokenRegistration Registration { get; set; }
        public TaskCompletionSource<JupyterMessage> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;
using Workbench.Protocol;

namespace Workbench.Kernel.Hosting;

/// <summary>
/// The stdin ROUTER socket with its own thread (NetMQ sockets are not thread-safe): a cell's thread asks for input
/// (<see cref="RequestAsync"/>), this thread sends the input_request to the client that sent the execute_request and
/// completes the request when its input_reply arrives. One request at a time (cells run one at a time).
/// </summary>
internal sealed class StdinChannel : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly MessageSigner _signer;
    private readonly TextWriter _log;
    private readonly ConcurrentQueue<JupyterMessage> _outgoing = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;
    private TaskCompletionSource<string>? _pending;

    public StdinChannel(string endpoint, MessageSigner signer, TextWriter log)
    {
        _signer = signer;
        _log = log;
        _thread = SocketThread.Start("stdin", endpoint, () => new RouterSocket { Options = { Linger = TimeSpan.Zero } }, Serve);
    }

    /// <summary>Sends an input_request answering <paramref name="parent"/> and waits for the reply's value; cancelled by an interrupt.</summary>
    public async Task<string> RequestAsync(JupyterMessage parent, string prompt, bool password, CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _pending, pending, null) is not null)
            throw new InvalidOperationException("another input request is still waiting for its reply");
        try
        {
            using var registration = cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
            _outgoing.Enqueue(JupyterMessage.Create("input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password }, parent, parent.Identities));
            return await pending.Task.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.CompareExchange(ref _pending, null, pending);
        }
    }

    private void Serve(RouterSocket socket)
    {
        List<byte[]> frames = new();
        while (!_stopping.IsCancellationRequested)
        {
            while (_outgoing.TryDequeue(out var message)) socket.SendMultipartBytes(WireFormat.Encode(message, _signer));
            if (!socket.TryReceiveMultipartBytes(PollInterval, ref frames!)) continue;
            if (!WireFormat.TryDecode(frames, _signer, out var reply, out var error))
            {
                _log.WriteLine($"workbench kernel: dropped a message on stdin: {error}");
                continue;
            }
            if (reply!.MessageType != "input_reply")
            {
                _log.WriteLine($"workbench kernel: unexpected {reply.MessageType} on stdin");
                continue;
            }
            // A reply after an interrupt finds nothing pending and is dropped.
            _pending?.TrySetResult((string?)reply.Content["value"] ?? "");
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _thread.Join(TimeSpan.FromSeconds(2));
        _pending?.TrySetCanceled();
    }
}

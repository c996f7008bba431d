using System.Collections.Concurrent;
using NetMQ;
using NetMQ.Sockets;
using Workbench.Protocol;

namespace Workbench.Kernel.Hosting;

/// <summary>
/// The IOPub PUB socket with its single writer thread (NetMQ sockets are not thread-safe): any thread queues
/// messages; the writer signs and sends them in order, and drains the queue before it stops.
/// </summary>
internal sealed class IopubChannel : IDisposable
{
    private readonly BlockingCollection<JupyterMessage> _queue = new();
    private readonly MessageSigner _signer;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _bound = new();
    private Exception? _bindError;

    public IopubChannel(string endpoint, MessageSigner signer)
    {
        _signer = signer;
        _thread = new Thread(() => Run(endpoint)) { IsBackground = true, Name = "iopub" };
        _thread.Start();
        _bound.Wait();
        if (_bindError is not null) throw new InvalidOperationException($"could not bind iopub to {endpoint}: {_bindError.Message}", _bindError);
    }

    public void Publish(JupyterMessage message)
    {
        try { _queue.Add(message); }
        catch (InvalidOperationException) { } // stopping: late outputs are dropped
    }

    private void Run(string endpoint)
    {
        PublisherSocket socket;
        try
        {
            socket = new PublisherSocket();
            socket.Options.Linger = TimeSpan.FromMilliseconds(500);
            socket.Bind(endpoint);
        }
        catch (Exception e)
        {
            _bindError = e;
            _bound.Set();
            return;
        }
        _bound.Set();
        using (socket)
        {
            try
            {
                foreach (var message in _queue.GetConsumingEnumerable())
                {
                    var frames = WireFormat.Encode(message, _signer);
                    var m = new NetMQMessage(frames);
                    socket.SendMultipartMessage(m);
                }
            }
            catch (TerminatingException) { }
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(2));
        _bound.Dispose();
    }
}

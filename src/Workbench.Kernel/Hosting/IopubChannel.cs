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

    public IopubChannel(string endpoint, MessageSigner signer)
    {
        _signer = signer;
        _thread = SocketThread.Start("iopub", endpoint, () => new PublisherSocket { Options = { Linger = TimeSpan.FromMilliseconds(500) } }, Serve);
    }

    public void Publish(JupyterMessage message)
    {
        try { _queue.Add(message); }
        catch (InvalidOperationException) { } // stopping: late outputs are dropped
    }

    private void Serve(PublisherSocket socket)
    {
        foreach (var message in _queue.GetConsumingEnumerable())
            socket.SendMultipartMessage(new NetMQMessage(WireFormat.Encode(message, _signer)));
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(2));
    }
}

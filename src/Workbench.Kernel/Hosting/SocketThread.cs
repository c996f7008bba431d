using NetMQ;

namespace Workbench.Kernel.Hosting;

/// <summary>
/// A socket owned by one thread from birth to disposal (NetMQ sockets are not thread-safe): the thread creates and
/// binds it, the constructor's caller waits for that and sees a bind failure as its own exception, then the thread
/// serves until the serve action returns.
/// </summary>
internal static class SocketThread
{
    /// <summary>Starts the thread and returns once the socket is bound; throws, naming the channel, when it cannot bind.</summary>
    public static Thread Start<TSocket>(string channel, string endpoint, Func<TSocket> create, Action<TSocket> serve) where TSocket : NetMQSocket
    {
        using var bound = new ManualResetEventSlim();
        Exception? error = null;
        var thread = new Thread(() =>
        {
            TSocket socket;
            try
            {
                socket = create();
                socket.Bind(endpoint);
            }
            catch (Exception e)
            {
                error = e;
                bound.Set();
                return;
            }
            bound.Set();
            using (socket)
            {
                try { serve(socket); }
                catch (TerminatingException) { }
            }
        }) { IsBackground = true, Name = channel };
        thread.Start();
        bound.Wait();
        if (error is not null) throw new InvalidOperationException($"could not bind {channel} to {endpoint}: {error.Message}", error);
        return thread;
    }
}

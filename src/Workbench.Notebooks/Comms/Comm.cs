using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Comms;

/// <summary>
/// One open comm: a channel between an object in the kernel and its counterpart in the front end, named by an id and
/// the target it was opened for. Messages the front end sends arrive as <see cref="MessageReceived"/>; <see cref="Send"/>
/// and <see cref="Close"/> go to every front end (on IOPub, answering the request being handled).
/// </summary>
public sealed class Comm
{
    private readonly CommManager _manager;
    private volatile bool _open = true;

    internal Comm(CommManager manager, string id, string targetName)
    {
        _manager = manager;
        Id = id;
        TargetName = targetName;
    }

    /// <summary>The comm_id.</summary>
    public string Id { get; }

    /// <summary>The target the comm was opened for.</summary>
    public string TargetName { get; }

    /// <summary>False once either side closed it.</summary>
    public bool IsOpen => _open;

    /// <summary>A comm_msg from the front end (raised on the thread that handles it, one at a time).</summary>
    public event EventHandler<CommMessage>? MessageReceived;

    /// <summary>The comm was closed, by the front end (its comm_close data) or by <see cref="Close"/> (empty data).</summary>
    public event EventHandler<CommMessage>? Closed;

    /// <summary>Sends a comm_msg with <paramref name="data"/> to the front end.</summary>
    /// <exception cref="InvalidOperationException">The comm is closed.</exception>
    public void Send(JsonObject data, JsonObject? metadata = null, IReadOnlyList<byte[]>? buffers = null)
    {
        if (!_open) throw new InvalidOperationException($"comm {Id} (target '{TargetName}') is closed");
        _manager.Publish("comm_msg", new JsonObject { ["data"] = data, ["comm_id"] = Id }, metadata, buffers);
    }

    /// <summary>Closes the comm on both sides (a comm_close to the front end); closing twice does nothing.</summary>
    public void Close(JsonObject? data = null, JsonObject? metadata = null, IReadOnlyList<byte[]>? buffers = null)
    {
        if (!MarkClosed()) return;
        _manager.Publish("comm_close", new JsonObject { ["data"] = data ?? new JsonObject(), ["comm_id"] = Id }, metadata, buffers);
        Closed?.Invoke(this, new CommMessage(data, metadata, buffers));
    }

    /// <inheritdoc/>
    public override string ToString() => $"comm {Id} (target '{TargetName}'{(_open ? "" : ", closed")})";

    internal bool MarkClosed()
    {
        if (!_open) return false;
        _open = false;
        _manager.Forget(this);
        return true;
    }

    internal void Receive(CommMessage message) => MessageReceived?.Invoke(this, message);

    internal void ReceiveClose(CommMessage message)
    {
        if (MarkClosed()) Closed?.Invoke(this, message);
    }
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Workbench.Notebooks.Execution;

namespace Workbench.Notebooks.Comms;

/// <summary>
/// The comms of one notebook session (Jupyter's custom messages): targets that front ends may open comms to, and the
/// comms open now, whichever side opened them. The kernel hands what front ends send to <see cref="NotebookSession.ReceiveCommAsync"/>;
/// what the kernel side sends goes to the output of the request being handled (<see cref="ICellOutput.SendComm"/>), so
/// it answers that request as ipykernel's comms do. With no front end (the headless runner) sending does nothing.
/// </summary>
public sealed class CommManager
{
    private readonly Func<ICellOutput?> _output;
    private readonly ConcurrentDictionary<string, Action<Comm, CommMessage>> _targets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Comm> _comms = new(StringComparer.Ordinal);

    internal CommManager(Func<ICellOutput?> output) => _output = output;

    /// <summary>
    /// Lets front ends open comms to <paramref name="targetName"/>: <paramref name="onOpen"/> gets each new comm and the
    /// comm_open's data, and subscribes to <see cref="Comm.MessageReceived"/> for what follows. A later registration replaces an earlier one.
    /// </summary>
    public void RegisterTarget(string targetName, Action<Comm, CommMessage> onOpen)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetName);
        ArgumentNullException.ThrowIfNull(onOpen);
        _targets[targetName] = onOpen;
    }

    /// <summary>Removes a target (comms already open stay open); false when it was not registered.</summary>
    public bool UnregisterTarget(string targetName) => _targets.TryRemove(targetName, out _);

    /// <summary>The registered target names, sorted.</summary>
    public IReadOnlyList<string> Targets => _targets.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The comms open now.</summary>
    public IReadOnlyList<Comm> OpenComms => _comms.Values.ToList();

    /// <summary>The open comm with this id, or null.</summary>
    public Comm? Find(string commId) => _comms.TryGetValue(commId, out var comm) ? comm : null;

    /// <summary>Open comms as comm_info_reply lists them: id → target name, only those of <paramref name="targetName"/> when given.</summary>
    public IReadOnlyDictionary<string, string> Info(string? targetName = null) =>
        _comms.Values.Where(c => targetName is null || c.TargetName == targetName).ToDictionary(c => c.Id, c => c.TargetName);

    /// <summary>
    /// Opens a comm from the kernel side: a comm_open to the front ends with <paramref name="data"/>, for their
    /// <paramref name="targetName"/>. <paramref name="commId"/> defaults to a new id.
    /// </summary>
    public Comm Open(string targetName, JsonObject? data = null, JsonObject? metadata = null, IReadOnlyList<byte[]>? buffers = null, string? commId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetName);
        var comm = new Comm(this, commId ?? NewId(), targetName);
        if (!_comms.TryAdd(comm.Id, comm)) throw new InvalidOperationException($"a comm with id {comm.Id} is already open");
        Publish("comm_open", new JsonObject
        {
            ["data"] = data ?? new JsonObject(), ["comm_id"] = comm.Id, ["target_name"] = targetName, ["target_module"] = null,
        }, metadata, buffers);
        return comm;
    }

    /// <summary>A new comm id (32 hex digits, as ipykernel makes them).</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    internal void Publish(string messageType, JsonObject content, JsonObject? metadata, IReadOnlyList<byte[]>? buffers) =>
        _output()?.SendComm(messageType, content, metadata ?? new JsonObject(), buffers ?? []);

    internal void Forget(Comm comm) => _comms.TryRemove(new KeyValuePair<string, Comm>(comm.Id, comm));

    // The three messages a front end sends. A handler's exception goes to the request's stderr, as ipykernel logs it;
    // a comm_open that no target takes (or whose handler fails) is closed again, so the front end learns at once.
    internal void ReceiveOpen(JsonObject content, JsonObject metadata, IReadOnlyList<byte[]> buffers, ICellOutput output)
    {
        var id = (string?)content["comm_id"];
        var target = (string?)content["target_name"] ?? "";
        if (string.IsNullOrEmpty(id))
        {
            output.Stream("stderr", "comm_open without a comm_id was ignored\n");
            return;
        }
        var comm = new Comm(this, id, target);
        _comms[id] = comm;
        if (!_targets.TryGetValue(target, out var onOpen))
        {
            output.Stream("stderr", $"no comm target '{target}' is registered (comm {id} was closed)\n");
            comm.Close();
            return;
        }
        try
        {
            onOpen(comm, new CommMessage(content["data"] as JsonObject, metadata, buffers));
        }
        catch (Exception e)
        {
            output.Stream("stderr", $"comm target '{target}' failed to open comm {id}: {e}\n");
            comm.Close();
        }
    }

    internal void ReceiveMessage(JsonObject content, JsonObject metadata, IReadOnlyList<byte[]> buffers, ICellOutput output)
    {
        var id = (string?)content["comm_id"] ?? "";
        if (Find(id) is not { } comm)
        {
            output.Stream("stderr", $"comm_msg for a comm that is not open ({id}) was ignored\n");
            return;
        }
        try { comm.Receive(new CommMessage(content["data"] as JsonObject, metadata, buffers)); }
        catch (Exception e) { output.Stream("stderr", $"comm {id} (target '{comm.TargetName}') failed on a message: {e}\n"); }
    }

    internal void ReceiveClose(JsonObject content, JsonObject metadata, IReadOnlyList<byte[]> buffers, ICellOutput output)
    {
        var id = (string?)content["comm_id"] ?? "";
        if (Find(id) is not { } comm) return;
        try { comm.ReceiveClose(new CommMessage(content["data"] as JsonObject, metadata, buffers)); }
        catch (Exception e) { output.Stream("stderr", $"comm {id} (target '{comm.TargetName}') failed on close: {e}\n"); }
    }
}

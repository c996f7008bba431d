using System.Text.Json.Nodes;

namespace Workbench.Protocol;

/// <summary>One Jupyter message: routing identities, header, parent header, metadata, content and binary buffers.</summary>
public sealed class JupyterMessage
{
    /// <summary>The protocol version this kernel speaks.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary>ZeroMQ routing identities (ROUTER sockets) or the topic (IOPub).</summary>
    public List<byte[]> Identities { get; init; } = new();

    /// <summary>msg_id, session, username, date, msg_type, version.</summary>
    public JsonObject Header { get; init; } = new();

    /// <summary>The header of the request this message answers (empty for none).</summary>
    public JsonObject ParentHeader { get; init; } = new();

    /// <summary>Free-form metadata.</summary>
    public JsonObject Metadata { get; init; } = new();

    /// <summary>The message's content.</summary>
    public JsonObject Content { get; init; } = new();

    /// <summary>Extra binary buffers.</summary>
    public List<byte[]> Buffers { get; init; } = new();

    /// <summary>The header's msg_type.</summary>
    public string MessageType => (string?)Header["msg_type"] ?? "";

    /// <summary>A new message of <paramref name="type"/> answering <paramref name="parent"/> (null for none).</summary>
    public static JupyterMessage Create(string type, JsonObject content, JupyterMessage? parent, IEnumerable<byte[]>? identities = null)
    {
        var session = parent?.Header["session"]?.DeepClone() ?? JsonValue.Create(KernelSessionId);
        return new JupyterMessage
        {
            Identities = identities?.ToList() ?? new List<byte[]>(),
            Header = new JsonObject
            {
                ["msg_id"] = Guid.NewGuid().ToString("N"),
                ["session"] = KernelSessionId,
                ["username"] = (string?)parent?.Header["username"] ?? "kernel",
                ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture),
                ["msg_type"] = type,
                ["version"] = ProtocolVersion,
            },
            ParentHeader = parent is null ? new JsonObject() : (JsonObject)parent.Header.DeepClone(),
            Content = content,
        };
    }

    /// <summary>The kernel's own session id (one per process).</summary>
    public static readonly string KernelSessionId = Guid.NewGuid().ToString("N");
}

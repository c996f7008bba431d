using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Comms;

/// <summary>What one comm_open, comm_msg or comm_close carries: its data, metadata and binary buffers.</summary>
public sealed class CommMessage : EventArgs
{
    /// <summary>A message of <paramref name="data"/> (empty when null), with optional metadata and buffers.</summary>
    public CommMessage(JsonObject? data = null, JsonObject? metadata = null, IReadOnlyList<byte[]>? buffers = null)
    {
        Data = data ?? new JsonObject();
        Metadata = metadata ?? new JsonObject();
        Buffers = buffers ?? [];
    }

    /// <summary>The content's data: free-form, defined by the target.</summary>
    public JsonObject Data { get; }

    /// <summary>The message's metadata (the widget protocol puts its version here).</summary>
    public JsonObject Metadata { get; }

    /// <summary>The binary buffers that came with the message.</summary>
    public IReadOnlyList<byte[]> Buffers { get; }
}

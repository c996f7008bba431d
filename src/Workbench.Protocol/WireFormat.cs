using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Protocol;

/// <summary>
/// The ZeroMQ framing of Jupyter messages: identities, the "&lt;IDS|MSG&gt;" delimiter, the HMAC signature, then
/// header, parent header, metadata and content as UTF-8 JSON, then any buffers.
/// </summary>
public static class WireFormat
{
    /// <summary>The delimiter between routing identities and the message.</summary>
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    /// <summary>Encodes and signs a message into frames.</summary>
    public static List<byte[]> Encode(JupyterMessage message, MessageSigner signer)
    {
        var parts = new[]
        {
            Json(message.Header), Json(message.ParentHeader), Json(message.Metadata), Json(message.Content),
        };
        var frames = new List<byte[]>(message.Identities.Count + 6 + message.Buffers.Count);
        frames.AddRange(message.Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(parts)));
        frames.AddRange(parts);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>
    /// Decodes frames into a message after checking the signature; returns false with a reason for a malformed,
    /// badly signed or replayed message (a signature <paramref name="signer"/> has accepted before).
    /// </summary>
    public static bool TryDecode(IReadOnlyList<byte[]> frames, MessageSigner signer, out JupyterMessage? message, out string? error)
    {
        message = null;
        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { delimiter = i; break; }
        if (delimiter < 0) { error = "no <IDS|MSG> delimiter"; return false; }
        if (frames.Count < delimiter + 6) { error = $"expected 6 frames after the identities, got {frames.Count - delimiter}"; return false; }
        var signature = Encoding.ASCII.GetString(frames[delimiter + 1]);
        var parts = new[] { frames[delimiter + 2], frames[delimiter + 3], frames[delimiter + 4], frames[delimiter + 5] };
        if (!signer.Verify(signature, parts)) { error = "bad signature"; return false; }
        if (!signer.RecordFirstUse(signature)) { error = "replayed message (its signature was already used)"; return false; }
        try
        {
            message = new JupyterMessage
            {
                Identities = frames.Take(delimiter).ToList(),
                Header = Object(parts[0], "header"),
                ParentHeader = Object(parts[1], "parent_header"),
                Metadata = Object(parts[2], "metadata"),
                Content = Object(parts[3], "content"),
                Buffers = frames.Skip(delimiter + 6).ToList(),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            error = e.Message;
            return false;
        }
        error = null;
        return true;
    }

    private static byte[] Json(JsonObject obj) => Encoding.UTF8.GetBytes(obj.ToJsonString());

    private static JsonObject Object(byte[] bytes, string name) =>
        JsonNode.Parse(bytes) as JsonObject ?? throw new FormatException($"{name} is not a JSON object");
}

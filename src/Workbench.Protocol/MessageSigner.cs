using System.Security.Cryptography;
using System.Text;

namespace Workbench.Protocol;

/// <summary>HMAC-SHA256 signatures over a message's four JSON frames, as lowercase hex; an empty key signs nothing.</summary>
public sealed class MessageSigner
{
    private readonly byte[] _key;

    /// <summary>Creates a signer for a key (the connection file's "key").</summary>
    public MessageSigner(string key) => _key = Encoding.UTF8.GetBytes(key);

    /// <summary>True when messages are signed.</summary>
    public bool Enabled => _key.Length > 0;

    /// <summary>The hex signature of header, parent header, metadata and content (in that order).</summary>
    public string Sign(IReadOnlyList<byte[]> parts)
    {
        if (!Enabled) return "";
        using var hmac = new HMACSHA256(_key);
        foreach (var p in parts) hmac.TransformBlock(p, 0, p.Length, null, 0);
        hmac.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
        return Convert.ToHexStringLower(hmac.Hash!);
    }

    // Signatures already accepted: a signed message sent again verbatim (captured and replayed) must not run again.
    // As Jupyter's Session, the history is bounded; beyond it the oldest are forgotten.
    private const int HistorySize = 1 << 16;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _historyLock = new();

    /// <summary>
    /// Records a verified signature; false when it was seen before (a replayed message). Always true when signing is
    /// disabled (there is nothing to tell messages apart by).
    /// </summary>
    public bool RecordFirstUse(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (!Enabled) return true;
        string key = signature.ToLowerInvariant();
        lock (_historyLock)
        {
            if (!_seen.Add(key)) return false;
            _order.Enqueue(key);
            if (_order.Count > HistorySize) _seen.Remove(_order.Dequeue());
            return true;
        }
    }

    /// <summary>Checks a signature in constant time; any signature is accepted when signing is disabled.</summary>
    public bool Verify(string signature, IReadOnlyList<byte[]> parts)
    {
        if (!Enabled) return true;
        var expected = Encoding.ASCII.GetBytes(Sign(parts));
        var actual = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}

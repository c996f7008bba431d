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

    /// <summary>Checks a signature in constant time; any signature is accepted when signing is disabled.</summary>
    public bool Verify(string signature, IReadOnlyList<byte[]> parts)
    {
        if (!Enabled) return true;
        var expected = Encoding.ASCII.GetBytes(Sign(parts));
        var actual = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}

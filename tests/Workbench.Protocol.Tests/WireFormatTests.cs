using System.Text;
using System.Text.Json.Nodes;
using Workbench.Protocol;

namespace Workbench.Protocol.Tests;

public sealed class WireFormatTests
{
    // One signer per test: a signer remembers the signatures it accepted.
    private readonly MessageSigner _signer = new("secret-key");

    private static JupyterMessage Sample() => new()
    {
        Identities = { "client-1"u8.ToArray() },
        Header = new JsonObject { ["msg_id"] = "abc", ["msg_type"] = "execute_request", ["session"] = "s", ["username"] = "u", ["version"] = "5.3" },
        Content = new JsonObject { ["code"] = "1 + 1", ["silent"] = false },
        Buffers = { new byte[] { 1, 2, 3 } },
    };

    [Fact]
    public void EncodeLaysOutIdentitiesDelimiterSignatureAndFourJsonFrames()
    {
        var frames = WireFormat.Encode(Sample(), _signer);
        Assert.Equal(8, frames.Count);
        Assert.Equal("client-1", Encoding.UTF8.GetString(frames[0]));
        Assert.Equal("<IDS|MSG>", Encoding.UTF8.GetString(frames[1]));
        Assert.Equal(64, frames[2].Length); // hex of a SHA-256 HMAC
        Assert.Equal(_signer.Sign(frames.Skip(3).Take(4).ToList()), Encoding.ASCII.GetString(frames[2]));
        Assert.Equal("execute_request", (string?)JsonNode.Parse(frames[3])!["msg_type"]);
        Assert.Equal("{}", Encoding.UTF8.GetString(frames[4]));
        Assert.Equal(new byte[] { 1, 2, 3 }, frames[7]);
    }

    [Fact]
    public void DecodeRoundTrips()
    {
        var frames = WireFormat.Encode(Sample(), _signer);
        Assert.True(WireFormat.TryDecode(frames, _signer, out var m, out var error), error);
        Assert.Equal("execute_request", m!.MessageType);
        Assert.Equal("1 + 1", (string?)m.Content["code"]);
        Assert.Equal("client-1", Encoding.UTF8.GetString(Assert.Single(m.Identities)));
        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(m.Buffers));
    }

    [Fact]
    public void TamperedContentOrForeignKeyIsRejected()
    {
        var frames = WireFormat.Encode(Sample(), _signer);
        frames[6] = Encoding.UTF8.GetBytes("{\"code\": \"rm -rf\"}");
        Assert.False(WireFormat.TryDecode(frames, _signer, out _, out var error));
        Assert.Equal("bad signature", error);

        var foreign = WireFormat.Encode(Sample(), new MessageSigner("other-key"));
        Assert.False(WireFormat.TryDecode(foreign, _signer, out _, out _));
    }

    [Fact]
    public void ReplayedSignedMessageIsRejected()
    {
        var frames = WireFormat.Encode(Sample(), _signer);
        Assert.True(WireFormat.TryDecode(frames, _signer, out _, out var first), first);
        // The very same bytes again, as an attacker who captured them would send them.
        Assert.False(WireFormat.TryDecode(frames, _signer, out _, out var replay));
        Assert.Contains("replayed", replay);
        // A new message (another msg_id) is fine.
        var next = Sample();
        next.Header["msg_id"] = "abd";
        Assert.True(WireFormat.TryDecode(WireFormat.Encode(next, _signer), _signer, out _, out var fresh), fresh);
    }

    [Fact]
    public void MalformedFramingIsRejectedWithAReason()
    {
        Assert.False(WireFormat.TryDecode(new List<byte[]> { "x"u8.ToArray() }, _signer, out _, out var noDelimiter));
        Assert.Contains("delimiter", noDelimiter);
        var frames = WireFormat.Encode(Sample(), _signer).Take(5).ToList();
        Assert.False(WireFormat.TryDecode(frames, _signer, out _, out var tooShort));
        Assert.Contains("frames", tooShort);
    }

    [Fact]
    public void EmptyKeyDisablesSigning()
    {
        var none = new MessageSigner("");
        var frames = WireFormat.Encode(Sample(), none);
        Assert.Empty(frames[2]);
        Assert.True(WireFormat.TryDecode(frames, none, out _, out _));
    }

    [Fact]
    public void RepliesCarryTheRequestHeaderAsParent()
    {
        var request = Sample();
        var reply = JupyterMessage.Create("execute_reply", new JsonObject { ["status"] = "ok" }, request, request.Identities);
        Assert.Equal("abc", (string?)reply.ParentHeader["msg_id"]);
        Assert.Equal("5.3", (string?)reply.Header["version"]);
        Assert.Equal("execute_reply", reply.MessageType);
        Assert.Same(request.Identities[0], reply.Identities[0]);
        Assert.NotEqual("abc", (string?)reply.Header["msg_id"]);
    }
}

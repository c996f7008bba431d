using System.Text;
using Workbench.Protocol;

namespace Workbench.Protocol.Tests;

public sealed class MessageSignerTests
{
    [Fact]
    public void MatchesRfc4231TestCase2()
    {
        // HMAC-SHA256, key "Jefe", data "what do ya want for nothing?" (RFC 4231, 4.3).
        var signer = new MessageSigner("Jefe");
        var data = Encoding.ASCII.GetBytes("what do ya want for nothing?");
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", signer.Sign(new[] { data }));
        // Split across frames, the HMAC runs over their concatenation.
        Assert.Equal(signer.Sign(new[] { data }), signer.Sign(new[] { data[..10], data[10..] }));
    }

    [Fact]
    public void VerifyAcceptsTheSignatureInEitherCaseAndRejectsOthers()
    {
        var signer = new MessageSigner("k");
        var parts = new[] { "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray(), "{\"a\":1}"u8.ToArray() };
        var sig = signer.Sign(parts);
        Assert.True(signer.Verify(sig, parts));
        Assert.True(signer.Verify(sig.ToUpperInvariant(), parts));
        Assert.False(signer.Verify(sig[..^1] + (sig[^1] == '0' ? '1' : '0'), parts));
        Assert.False(signer.Verify("", parts));
    }
}

using Workbench.Protocol;

namespace Workbench.Protocol.Tests;

public sealed class ConnectionInfoTests
{
    private const string Valid = """
        {"shell_port": 50001, "iopub_port": 50002, "stdin_port": 50003, "control_port": 50004, "hb_port": 50005,
         "ip": "127.0.0.1", "key": "a0436f6c-1916-498b", "transport": "tcp", "signature_scheme": "hmac-sha256",
         "kernel_name": "workbench-csharp"}
        """;

    [Fact]
    public void ParsesEveryField()
    {
        var c = ConnectionInfo.Parse(Valid);
        Assert.Equal((50001, 50002, 50003, 50004, 50005), (c.ShellPort, c.IopubPort, c.StdinPort, c.ControlPort, c.HeartbeatPort));
        Assert.Equal("a0436f6c-1916-498b", c.Key);
        Assert.Equal("tcp://127.0.0.1:50004", c.Endpoint(c.ControlPort));
    }

    [Fact]
    public void MissingOrBadFieldsAreNamed()
    {
        var missing = Assert.Throws<FormatException>(() => ConnectionInfo.Parse(Valid.Replace("\"hb_port\": 50005,", ""), "conn.json"));
        Assert.Contains("conn.json", missing.Message);
        Assert.Contains("hb_port", missing.Message);
        var badPort = Assert.Throws<FormatException>(() => ConnectionInfo.Parse(Valid.Replace("50001", "70000")));
        Assert.Contains("shell_port", badPort.Message);
        var scheme = Assert.Throws<FormatException>(() => ConnectionInfo.Parse(Valid.Replace("hmac-sha256", "hmac-md5")));
        Assert.Contains("hmac-md5", scheme.Message);
        Assert.Throws<FormatException>(() => ConnectionInfo.Parse("not json"));
        Assert.Throws<FileNotFoundException>(() => ConnectionInfo.Load("/nonexistent/kernel-1.json"));
    }

    [Fact]
    public void CursorPositionsConvertBetweenCodePointsAndUtf16()
    {
        var text = "a😀b"; // the emoji is one code point, two UTF-16 units
        Assert.Equal(3, CodePoints.ToUtf16Index(text, 2));
        Assert.Equal(2, CodePoints.FromUtf16Index(text, 3));
        Assert.Equal(4, CodePoints.ToUtf16Index(text, 99));
    }
}

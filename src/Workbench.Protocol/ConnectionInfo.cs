using System.Text.Json.Nodes;

namespace Workbench.Protocol;

/// <summary>A Jupyter connection file: where to bind the five sockets and how to sign messages.</summary>
public sealed record ConnectionInfo
{
    /// <summary>"tcp" (or "ipc").</summary>
    public required string Transport { get; init; }

    /// <summary>The address to bind, e.g. 127.0.0.1.</summary>
    public required string Ip { get; init; }

    /// <summary>Shell channel port (ROUTER).</summary>
    public required int ShellPort { get; init; }

    /// <summary>IOPub channel port (PUB).</summary>
    public required int IopubPort { get; init; }

    /// <summary>Stdin channel port (ROUTER).</summary>
    public required int StdinPort { get; init; }

    /// <summary>Control channel port (ROUTER).</summary>
    public required int ControlPort { get; init; }

    /// <summary>Heartbeat port (REP).</summary>
    public required int HeartbeatPort { get; init; }

    /// <summary>The HMAC key; empty disables signing.</summary>
    public required string Key { get; init; }

    /// <summary>The signature scheme; only hmac-sha256 is supported.</summary>
    public string SignatureScheme { get; init; } = "hmac-sha256";

    /// <summary>The ZeroMQ endpoint of a port on this connection's transport and address.</summary>
    public string Endpoint(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"{Transport}://{Ip}:{port}";

    /// <summary>Parses a connection file's JSON; errors name the file and the missing or bad field.</summary>
    public static ConnectionInfo Parse(string json, string source = "connection file")
    {
        JsonObject obj;
        try
        {
            obj = JsonNode.Parse(json) as JsonObject ?? throw new FormatException($"{source}: not a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"{source}: invalid JSON: {e.Message}", e);
        }
        string Text(string name, string? fallback = null)
        {
            var node = obj[name];
            if (node is null)
                return fallback ?? throw new FormatException($"{source}: missing \"{name}\"");
            return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new FormatException($"{source}: \"{name}\" must be a string");
        }
        int Port(string name)
        {
            var node = obj[name] ?? throw new FormatException($"{source}: missing \"{name}\"");
            if (node is JsonValue v && v.TryGetValue<int>(out var p) && p is > 0 and < 65536) return p;
            throw new FormatException($"{source}: \"{name}\" must be a port number (1-65535), got {node.ToJsonString()}");
        }
        var info = new ConnectionInfo
        {
            Transport = Text("transport", "tcp"),
            Ip = Text("ip", "127.0.0.1"),
            ShellPort = Port("shell_port"),
            IopubPort = Port("iopub_port"),
            StdinPort = Port("stdin_port"),
            ControlPort = Port("control_port"),
            HeartbeatPort = Port("hb_port"),
            Key = Text("key", ""),
            SignatureScheme = Text("signature_scheme", "hmac-sha256"),
        };
        if (info.Transport is not ("tcp" or "ipc")) throw new FormatException($"{source}: unsupported transport \"{info.Transport}\" (tcp or ipc)");
        if (info.Key.Length > 0 && info.SignatureScheme != "hmac-sha256")
            throw new FormatException($"{source}: unsupported signature_scheme \"{info.SignatureScheme}\" (hmac-sha256)");
        return info;
    }

    /// <summary>Reads and parses a connection file.</summary>
    public static ConnectionInfo Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"connection file not found: {path}", path);
        return Parse(File.ReadAllText(path), path);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Workbench.Core.Tests.Datasets;

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 for the download tests: answers GET with 200 or, for
/// <c>Range: bytes=N-</c>, 206; can cut its first response after a number of body bytes; records every request.
/// Raw sockets rather than HttpListener, so that a response can be cut mid-body at an exact byte.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly List<(string Path, long? RangeStart)> _requests = [];
    private readonly Task _loop;
    private int _responses;

    public LoopbackHttpServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>When set, the first response sends only this many body bytes (with the full Content-Length) and closes.</summary>
    public int? CutFirstResponseAfter { get; init; }

    public Uri Url(string path) => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/{path}");

    public void Serve(string path, byte[] content)
    {
        lock (_files) _files["/" + path] = content;
    }

    public IReadOnlyList<(string Path, long? RangeStart)> Requests
    {
        get { lock (_requests) return _requests.ToArray(); }
    }

    /// <summary>A loopback address that refuses connections: a port that was just bound and released.</summary>
    public static Uri RefusingUrl(string path)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/{path}");
    }

    private async Task AcceptLoop()
    {
        while (true)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(); }
            catch (Exception e) when (e is ObjectDisposedException or SocketException) { return; }
            using (client) await Answer(client.GetStream());
        }
    }

    private async Task Answer(NetworkStream stream)
    {
        var (path, rangeStart) = await ReadRequest(stream);
        lock (_requests) _requests.Add((path, rangeStart));
        byte[]? content;
        lock (_files) _files.TryGetValue(path, out content);
        if (content is null)
        {
            await Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        long start = rangeStart ?? 0;
        string head = rangeStart is null
            ? $"HTTP/1.1 200 OK\r\nContent-Length: {content.Length}\r\n"
            : $"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {start}-{content.Length - 1}/{content.Length}\r\nContent-Length: {content.Length - start}\r\n";
        await Write(stream, head + "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n");
        int send = content.Length - (int)start;
        if (Interlocked.Increment(ref _responses) == 1 && CutFirstResponseAfter is int cut) send = Math.Min(send, cut);
        await stream.WriteAsync(content.AsMemory((int)start, send));
        await stream.FlushAsync();
    }

    private static async Task<(string Path, long? RangeStart)> ReadRequest(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        // Byte by byte up to the blank line: a GET has no body, and the headers are short.
        while (!(bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0) break;
            bytes.Add(one[0]);
        }
        string[] lines = Encoding.ASCII.GetString(bytes.ToArray()).Split("\r\n");
        string path = lines[0].Split(' ')[1];
        long? range = null;
        foreach (string line in lines.Skip(1))
            if (line.StartsWith("Range: bytes=", StringComparison.OrdinalIgnoreCase))
                range = long.Parse(line["Range: bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
        return (path, range);
    }

    private static Task Write(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public void Dispose()
    {
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
    }
}

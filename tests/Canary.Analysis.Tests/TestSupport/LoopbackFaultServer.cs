using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>One HTTP request as the fault server received it.</summary>
internal sealed record FaultRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>Gets the form field (URL-encoded body or query string) of that name, or null.</summary>
    public string? Form(string name)
    {
        var query = Target.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? Target[(q + 1)..] : "";
        foreach (var source in new[] { Body, query })
        {
            foreach (var pair in source.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
                if (key == name)
                {
                    return eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
                }
            }
        }

        return null;
    }
}

/// <summary>What the fault server does with one request.</summary>
internal abstract record FaultReply
{
    /// <summary>A complete response with a Content-Length (the connection stays open for the next request).</summary>
    public static FaultReply Respond(int status, string body, string contentType = "application/json", params (string Name, string Value)[] headers) =>
        new Complete(status, Encoding.UTF8.GetBytes(body), contentType, headers, IsChunked: false, IsGzip: false);

    /// <summary>The body sent with chunked transfer encoding (no Content-Length).</summary>
    public static FaultReply Chunked(int status, byte[] body) => new Complete(status, body, "application/json", [], IsChunked: true, IsGzip: false);

    /// <summary>The body gzip-compressed with <c>Content-Encoding: gzip</c>.</summary>
    public static FaultReply Gzipped(int status, byte[] body) => new Complete(status, body, "application/json", [], IsChunked: false, IsGzip: true);

    /// <summary>Bytes written as they are, then the connection is closed (hand-made status lines and headers).</summary>
    public static FaultReply Raw(string bytes) => new RawBytes(Encoding.Latin1.GetBytes(bytes));

    /// <summary>The connection is reset (RST) without a response.</summary>
    public static FaultReply Reset { get; } = new ResetConnection();

    /// <summary>The connection is closed (FIN) without a response.</summary>
    public static FaultReply Close { get; } = new CloseConnection();

    /// <summary>Nothing is ever sent; the connection is held until the server stops.</summary>
    public static FaultReply BlackHole { get; } = new Silence(HeadersFirst: false);

    /// <summary>The status line and headers promise a body that never comes.</summary>
    public static FaultReply HeadersThenSilence { get; } = new Silence(HeadersFirst: true);

    /// <summary>The body trickles a few bytes at a time.</summary>
    public static FaultReply Trickle(string body, int bytesPerWrite, TimeSpan pause) => new Trickling(Encoding.UTF8.GetBytes(body), bytesPerWrite, pause);

    internal sealed record Complete(int Status, byte[] Body, string ContentType, (string Name, string Value)[] Headers, bool IsChunked, bool IsGzip) : FaultReply;

    internal sealed record RawBytes(byte[] Bytes) : FaultReply;

    internal sealed record ResetConnection : FaultReply;

    internal sealed record CloseConnection : FaultReply;

    internal sealed record Silence(bool HeadersFirst) : FaultReply;

    internal sealed record Trickling(byte[] Body, int BytesPerWrite, TimeSpan Pause) : FaultReply;
}

/// <summary>
/// An HTTP/1.1 server on a free 127.0.0.1 port that answers each request as <see cref="Handler"/> says, including the
/// ways real servers fail: reset, closed, black-holed, headers then silence, trickling, chunked, gzip, any status.
/// Built on a raw socket so that the faults are on the wire, not simulated in a handler.
/// </summary>
internal sealed class LoopbackFaultServer : IAsyncDisposable
{
    private const int MaxRequestBytes = 1 << 20;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ConcurrentBag<Task> _connections = [];
    private int _open;
    private int _maxOpen;

    public LoopbackFaultServer(Func<FaultRequest, FaultReply> handler)
    {
        Handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(1024);
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    /// <summary>Gets the server's base address.</summary>
    public Uri Address { get; }

    /// <summary>Gets or sets what the server does with each request.</summary>
    public Func<FaultRequest, FaultReply> Handler { get; set; }

    /// <summary>Gets every request received, in order of arrival.</summary>
    public ConcurrentQueue<FaultRequest> Requests { get; } = new();

    /// <summary>Gets the largest number of connections that were open at once.</summary>
    public int MaxConcurrentConnections => Volatile.Read(ref _maxOpen);

    /// <summary>Gets an address on which nothing listens (connections are refused).</summary>
    public static Uri RefusedAddress()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException) // "Not listening": stopped before the accept began
        {
        }

        await Task.WhenAll(_connections.ToArray()).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _connections.Add(Task.Run(() => ServeAsync(client)));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var open = Interlocked.Increment(ref _open);
        for (var max = Volatile.Read(ref _maxOpen); open > max; max = Volatile.Read(ref _maxOpen))
        {
            if (Interlocked.CompareExchange(ref _maxOpen, open, max) == max)
            {
                break;
            }
        }

        try
        {
            using (client)
            {
                var stream = client.GetStream();
                using var reader = new RequestReader(stream);
                while (!_stop.IsCancellationRequested && await reader.ReadAsync(_stop.Token) is { } request)
                {
                    Requests.Enqueue(request);
                    if (!await ReplyAsync(client, stream, Handler(request)))
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away (timeouts, cancellation) or the server stopped.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>Writes the reply; returns whether the connection can serve another request.</summary>
    private async Task<bool> ReplyAsync(TcpClient client, NetworkStream stream, FaultReply reply)
    {
        var token = _stop.Token;
        switch (reply)
        {
            case FaultReply.Complete complete:
                var body = complete.IsGzip ? Compress(complete.Body) : complete.Body;
                var head = new StringBuilder()
                    .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {complete.Status} {Reason(complete.Status)}\r\n")
                    .Append(CultureInfo.InvariantCulture, $"Content-Type: {complete.ContentType}\r\n");
                foreach (var (name, value) in complete.Headers)
                {
                    head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
                }

                if (complete.IsGzip)
                {
                    head.Append("Content-Encoding: gzip\r\n");
                }

                head.Append(complete.IsChunked ? "Transfer-Encoding: chunked\r\n\r\n" : $"Content-Length: {body.Length}\r\n\r\n");
                await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), token);
                if (complete.IsChunked)
                {
                    for (var offset = 0; offset < body.Length; offset += 64 * 1024)
                    {
                        var length = Math.Min(64 * 1024, body.Length - offset);
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{length:x}\r\n"), token);
                        await stream.WriteAsync(body.AsMemory(offset, length), token);
                        await stream.WriteAsync("\r\n"u8.ToArray(), token);
                    }

                    await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), token);
                }
                else
                {
                    await stream.WriteAsync(body, token);
                }

                return true;
            case FaultReply.RawBytes raw:
                await stream.WriteAsync(raw.Bytes, token);
                return false;
            case FaultReply.ResetConnection:
                client.LingerState = new LingerOption(true, 0);
                client.Client.Close(0);
                return false;
            case FaultReply.CloseConnection:
                client.Client.Shutdown(SocketShutdown.Both);
                return false;
            case FaultReply.Silence silence:
                if (silence.HeadersFirst)
                {
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"status\":"u8.ToArray(), token);
                }

                await WaitUntilClosedAsync(stream, token);
                return false;
            case FaultReply.Trickling trickle:
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {trickle.Body.Length}\r\n\r\n"), token);
                for (var offset = 0; offset < trickle.Body.Length; offset += trickle.BytesPerWrite)
                {
                    await stream.WriteAsync(trickle.Body.AsMemory(offset, Math.Min(trickle.BytesPerWrite, trickle.Body.Length - offset)), token);
                    await Task.Delay(trickle.Pause, token);
                }

                return true;
            default:
                throw new InvalidOperationException($"Unknown reply {reply}.");
        }
    }

    /// <summary>Holds the connection until the client closes it (a timeout on its side) or the server stops.</summary>
    private static async Task WaitUntilClosedAsync(NetworkStream stream, CancellationToken token)
    {
        var sink = new byte[4096];
        while (await stream.ReadAsync(sink, token) > 0)
        {
        }
    }

    private static byte[] Compress(byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return buffer.ToArray();
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };

    /// <summary>Reads HTTP/1.1 requests (Content-Length or chunked bodies) from one connection.</summary>
    private sealed class RequestReader(NetworkStream stream) : IDisposable
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private readonly MemoryStream _pending = new();

        public void Dispose() => _pending.Dispose();

        public async Task<FaultRequest?> ReadAsync(CancellationToken token)
        {
            int headerEnd;
            while ((headerEnd = IndexOf(_pending, "\r\n\r\n"u8)) < 0)
            {
                if (!await FillAsync(token))
                {
                    return null;
                }
            }

            var headText = Encoding.Latin1.GetString(_pending.GetBuffer(), 0, headerEnd);
            Consume(headerEnd + 4);
            var lines = headText.Split("\r\n");
            var requestLine = lines[0].Split(' ');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    var name = line[..colon].Trim();
                    var value = line[(colon + 1)..].Trim();
                    headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
                }
            }

            byte[] body;
            if (headers.TryGetValue("Content-Length", out var lengthText))
            {
                body = await ReadExactlyAsync(int.Parse(lengthText, CultureInfo.InvariantCulture), token);
            }
            else if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                body = await ReadChunkedAsync(token);
            }
            else
            {
                body = [];
            }

            return new FaultRequest(requestLine[0], requestLine.Length > 1 ? requestLine[1] : "/", headers, Encoding.UTF8.GetString(body));
        }

        private async Task<byte[]> ReadChunkedAsync(CancellationToken token)
        {
            using var body = new MemoryStream();
            while (true)
            {
                int lineEnd;
                while ((lineEnd = IndexOf(_pending, "\r\n"u8)) < 0)
                {
                    if (!await FillAsync(token))
                    {
                        throw new IOException("The request ended inside a chunk header.");
                    }
                }

                var sizeText = Encoding.ASCII.GetString(_pending.GetBuffer(), 0, lineEnd).Split(';')[0];
                Consume(lineEnd + 2);
                var size = int.Parse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var chunk = await ReadExactlyAsync(size + 2, token);
                if (size == 0)
                {
                    return body.ToArray();
                }

                body.Write(chunk, 0, size);
            }
        }

        private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken token)
        {
            if (count > MaxRequestBytes)
            {
                throw new IOException("The request body is too large for the fault server.");
            }

            while (_pending.Length < count)
            {
                if (!await FillAsync(token))
                {
                    throw new IOException("The request ended inside its body.");
                }
            }

            var result = _pending.GetBuffer().AsSpan(0, count).ToArray();
            Consume(count);
            return result;
        }

        private async Task<bool> FillAsync(CancellationToken token)
        {
            if (_pending.Length > MaxRequestBytes)
            {
                throw new IOException("The request is too large for the fault server.");
            }

            var read = await stream.ReadAsync(_buffer, token);
            if (read == 0)
            {
                return false;
            }

            _pending.Seek(0, SeekOrigin.End);
            _pending.Write(_buffer, 0, read);
            return true;
        }

        private void Consume(int count)
        {
            var rest = _pending.GetBuffer().AsSpan((int)Math.Min(count, _pending.Length), (int)Math.Max(0, _pending.Length - count)).ToArray();
            _pending.SetLength(0);
            _pending.Write(rest);
        }

        private static int IndexOf(MemoryStream stream, ReadOnlySpan<byte> value) =>
            stream.GetBuffer().AsSpan(0, (int)stream.Length).IndexOf(value);
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>A request as it arrived on the wire.</summary>
/// <param name="Method">The method.</param>
/// <param name="Target">The request target (path and query).</param>
/// <param name="Head">The raw request line and headers, exactly as received.</param>
/// <param name="Body">The body.</param>
public sealed record LoopbackRequest(string Method, string Target, string Head, string Body)
{
    /// <summary>The value of the first header with this name, or null.</summary>
    public string? Header(string name)
    {
        foreach (var line in Head.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>Whether a header line with this name was received.</summary>
    public bool HasHeader(string name) => Header(name) is not null;
}

/// <summary>What the server answers.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Body">The body.</param>
/// <param name="Headers">Extra headers.</param>
/// <param name="Delay">How long to wait before answering.</param>
public sealed record LoopbackResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default)
{
    public static LoopbackResponse Json(string body, int status = 200) =>
        new(status, body, new Dictionary<string, string> { ["Content-Type"] = "application/json" });
}

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 (a free port): sees requests byte for byte (injected headers included) and counts
/// the connections open at once. Keep-alive is supported; every response has a Content-Length.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly Func<LoopbackRequest, Task<LoopbackResponse>> handler;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<LoopbackRequest> requests = new();
    private readonly ConcurrentBag<Task> connections = [];
    private readonly Task acceptLoop;
    private int disposed;
    private int open;
    private int maxOpen;
    private int accepted;

    public LoopbackHttpServer(Func<LoopbackRequest, Task<LoopbackResponse>> handler)
    {
        this.handler = handler;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1024);
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        acceptLoop = Task.Run(AcceptAsync);
    }

    public LoopbackHttpServer(Func<LoopbackRequest, LoopbackResponse> handler)
        : this(request => Task.FromResult(handler(request)))
    {
    }

    /// <summary>Gets the base address, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Gets every request received so far.</summary>
    public IReadOnlyList<LoopbackRequest> Requests => [.. requests];

    /// <summary>Gets the most connections that were open at the same time.</summary>
    public int MaxConcurrentConnections => Volatile.Read(ref maxOpen);

    /// <summary>Gets how many connections were accepted in all.</summary>
    public int AcceptedConnections => Volatile.Read(ref accepted);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await acceptLoop;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                // InvalidOperationException: disposed between the loop's check and the accept ("Not listening").
                return;
            }

            Interlocked.Increment(ref accepted);
            var now = Interlocked.Increment(ref open);
            int seen;
            while (now > (seen = Volatile.Read(ref maxOpen)) && Interlocked.CompareExchange(ref maxOpen, now, seen) != seen)
            {
            }

            connections.Add(Task.Run(() => ServeAsync(socket)));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            using (socket)
            await using (var stream = new NetworkStream(socket, ownsSocket: false))
            {
                var buffer = new List<byte>();
                var chunk = new byte[8192];
                while (!stop.IsCancellationRequested)
                {
                    int headEnd;
                    while ((headEnd = IndexOfHeadEnd(buffer)) < 0)
                    {
                        var read = await stream.ReadAsync(chunk, stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        buffer.AddRange(chunk.AsSpan(0, read));
                    }

                    var head = Encoding.Latin1.GetString(buffer.GetRange(0, headEnd).ToArray());
                    buffer.RemoveRange(0, headEnd + 4);
                    var lines = head.Split("\r\n");
                    var requestLine = lines[0].Split(' ');
                    var probe = new LoopbackRequest(requestLine[0], requestLine.Length > 1 ? requestLine[1] : string.Empty, head, string.Empty);
                    var length = int.TryParse(probe.Header("Content-Length"), out var n) ? n : 0;
                    while (buffer.Count < length)
                    {
                        var read = await stream.ReadAsync(chunk, stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        buffer.AddRange(chunk.AsSpan(0, read));
                    }

                    var body = Encoding.UTF8.GetString(buffer.GetRange(0, length).ToArray());
                    buffer.RemoveRange(0, length);
                    var request = probe with { Body = body };
                    requests.Enqueue(request);
                    var response = await handler(request);
                    if (response.Delay > TimeSpan.Zero)
                    {
                        await Task.Delay(response.Delay, stop.Token);
                    }

                    var bytes = Encoding.UTF8.GetBytes(response.Body);
                    var text = new StringBuilder($"HTTP/1.1 {response.Status} Status\r\nContent-Length: {bytes.Length}\r\n");
                    foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
                    {
                        text.Append(name).Append(": ").Append(value).Append("\r\n");
                    }

                    text.Append("\r\n");
                    await stream.WriteAsync(Encoding.Latin1.GetBytes(text.ToString()), stop.Token);
                    await stream.WriteAsync(bytes, stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, or the server is stopping.
        }
        finally
        {
            Interlocked.Decrement(ref open);
        }
    }

    private static int IndexOfHeadEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}

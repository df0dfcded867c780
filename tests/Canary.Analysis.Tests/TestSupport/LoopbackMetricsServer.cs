using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (an ephemeral port) whose answers the test scripts per request: a body, a
/// status, or a connection reset. One request per connection (<c>Connection: close</c>).
/// </summary>
internal sealed class LoopbackMetricsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, LoopbackAnswer> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public LoopbackMetricsServer(Func<int, LoopbackAnswer> answer)
    {
        _answer = answer;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/metrics");
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Address { get; }

    /// <summary>Gets the number of requests answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>An address on 127.0.0.1 where nothing listens: connecting is refused.</summary>
    public static Uri RefusedAddress()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/metrics");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException) // "Not listening": stopped before the accept began
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                await ReadHeadersAsync(stream);
                var answer = _answer(Interlocked.Increment(ref _requests) - 1);
                if (answer.Reset)
                {
                    client.LingerState = new LingerOption(true, 0); // Close sends RST.
                    return;
                }

                var body = answer.Body ?? [];
                var head = $"HTTP/1.1 {answer.Status} X\r\nContent-Type: {answer.ContentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                await stream.WriteAsync(body);
                await stream.FlushAsync();
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // The client went away.
            }
        }
    }

    private static async Task ReadHeadersAsync(NetworkStream stream)
    {
        var buffer = new byte[8192];
        var seen = new StringBuilder();
        while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return;
            }

            seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }
}

/// <summary>One scripted answer of <see cref="LoopbackMetricsServer"/>.</summary>
internal sealed record LoopbackAnswer(int Status, byte[]? Body, string ContentType = "text/plain; version=0.0.4; charset=utf-8", bool Reset = false)
{
    public static LoopbackAnswer Text(string body) => new(200, Encoding.UTF8.GetBytes(body));

    public static LoopbackAnswer Bytes(byte[] body) => new(200, body);

    public static LoopbackAnswer Error(int status) => new(status, Encoding.UTF8.GetBytes("error"));

    public static LoopbackAnswer ConnectionReset() => new(0, null, Reset: true);
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Canary.Analysis.Tests.Reports;

/// <summary>
/// A loopback HTTP proxy that answers nothing and records the first line of every request (<c>GET http://host/…</c>,
/// <c>CONNECT host:443</c>): with a browser pointed at it, every network request the browser makes is seen here.
/// </summary>
internal sealed class RecordingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public RecordingProxy()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Address => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>
    /// The requests a page made, without Chromium's own background calls to Google's services (time, component updates,
    /// accounts), which it makes whatever it renders.
    /// </summary>
    public IReadOnlyList<string> PageRequests => [.. Requests.Where(r => !IsBrowserService(r))];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private static bool IsBrowserService(string request)
    {
        var target = request.Split(' ') is [_, var t, ..] ? t : string.Empty;
        var host = Uri.TryCreate(target.Contains("://", StringComparison.Ordinal) ? target : "https://" + target, UriKind.Absolute, out var uri) ? uri.Host : target;
        return host.EndsWith(".google.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".googleapis.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".gstatic.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".gvt1.com", StringComparison.OrdinalIgnoreCase);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var buffer = new byte[2048];
                    var read = await client.GetStream().ReadAsync(buffer, _stop.Token);
                    Requests.Enqueue(Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0]);
                    await client.GetStream().WriteAsync("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
                }
            });
        }
    }
}

using Flurl.Http;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>
/// The one way a provider or a source gets its <see cref="FlurlClient"/>: over a handler of its own
/// (<see cref="HttpHandlers.Create"/>, capped at <c>MaxConnectionsPerServer</c>), or over an injected
/// <see cref="HttpClient"/> (through <see cref="ForwardingHandler"/> when the client has already sent requests, since Flurl
/// cannot reset its timeout then). Flurl's own timeout is off (the caller's linked token covers the request and the body)
/// and every status is returned, not thrown. An injected client is never disposed.
/// </summary>
internal sealed class BackendClient : IDisposable
{
    private readonly HttpClient? _owned;

    private BackendClient(FlurlClient client, HttpClient? owned)
    {
        Flurl = client;
        _owned = owned;
        client.Settings.Timeout = null;
        client.AllowAnyHttpStatus();
    }

    /// <summary>Gets the client to build requests with.</summary>
    public FlurlClient Flurl { get; }

    /// <summary>Creates the client.</summary>
    /// <param name="injected">The caller's client, or null to own a pooled handler.</param>
    /// <param name="baseAddress">The base URL requests are relative to; null when every request names its full address.</param>
    /// <param name="maxConnectionsPerServer">The connection cap of an owned handler (an injected client keeps its own).</param>
    public static BackendClient Create(HttpClient? injected, string? baseAddress, int maxConnectionsPerServer)
    {
        if (injected is null)
        {
            var owned = new HttpClient(HttpHandlers.Create(maxConnectionsPerServer));
            return new BackendClient(new FlurlClient(owned, baseAddress), owned);
        }

        try
        {
            return new BackendClient(new FlurlClient(injected, baseAddress), owned: null);
        }
        catch (InvalidOperationException)
        {
            // The client has already sent requests, so Flurl cannot reset its Timeout: go through it instead.
            var wrapper = new HttpClient(new ForwardingHandler(injected)) { Timeout = Timeout.InfiniteTimeSpan };
            return new BackendClient(new FlurlClient(wrapper, baseAddress), wrapper);
        }
    }

    /// <summary>Releases the client when it is this object's own (a handler or a wrapper); an injected client is left alone.</summary>
    public void Dispose()
    {
        if (_owned is not null)
        {
            Flurl.Dispose();
            _owned.Dispose();
        }
    }
}

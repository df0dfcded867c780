using System.Globalization;
using System.Net;

namespace Canary.Analysis.Metrics.Internal;

/// <summary>The one recipe for the handlers the library creates itself (providers, the scrape source, dependency injection).</summary>
internal static class HttpHandlers
{
    /// <summary>The default cap on concurrent connections to one server.</summary>
    public const int DefaultMaxConnectionsPerServer = 16;

    /// <summary>The largest cap accepted: beyond it a slow server would be met with thousands of sockets again.</summary>
    public const int MaxConnectionsPerServerLimit = 1024;

    /// <summary>
    /// A handler without redirects or cookies (Flurl follows redirects itself), with decompression, connections renewed every
    /// 2 minutes, and at most <paramref name="maxConnectionsPerServer"/> connections per server: more concurrent requests
    /// wait for a free connection (under their own timeout) instead of opening sockets without bound.
    /// </summary>
    public static SocketsHttpHandler Create(int maxConnectionsPerServer) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        MaxConnectionsPerServer = maxConnectionsPerServer,
    };

    /// <summary>Checks a connection cap option.</summary>
    public static void CheckMaxConnections(List<string> failures, string field, int value)
    {
        if (value is < 1 or > MaxConnectionsPerServerLimit)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{field} must be between 1 and {MaxConnectionsPerServerLimit}; it was {value}."));
        }
    }
}

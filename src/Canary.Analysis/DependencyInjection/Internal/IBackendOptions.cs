using Microsoft.Extensions.Logging;
using Canary.Analysis.Metrics;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.DependencyInjection.Internal;

/// <summary>
/// What a backend's registration options know about their backend, so that <see cref="BackendRegistration"/> registers every
/// backend the same way: its name, its rules, its connection cap, and how to build its provider and traffic source.
/// </summary>
internal interface IBackendOptions
{
    /// <summary>Gets the backend's name, for messages (<c>Prometheus</c>, <c>Datadog</c>).</summary>
    static abstract string Backend { get; }

    /// <summary>Gets the connection cap of the registration's primary handler.</summary>
    int MaxConnectionsPerServer { get; }

    /// <summary>The options' failures, each naming its field by its configuration path under <paramref name="path"/> (ending with a colon).</summary>
    IEnumerable<string> Problems(string path);

    /// <summary>Builds the provider from valid options, logging its queries to <paramref name="logger"/>.</summary>
    IMetricProvider CreateProvider(HttpClient httpClient, TimeProvider timeProvider, ILogger logger);

    /// <summary>Builds the traffic source over the provider registered under the same name.</summary>
    /// <exception cref="InvalidOperationException">The registered provider cannot serve this backend's traffic source; the message starts with <paramref name="path"/>.</exception>
    ITrafficSource CreateTrafficSource(IMetricProvider provider, string path);
}

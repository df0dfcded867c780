using Microsoft.Extensions.DependencyInjection;

namespace Canary.Analysis.DependencyInjection;

/// <summary>
/// One registration started by <see cref="CanaryAnalysisServiceCollectionExtensions.AddCanaryAnalysis(IServiceCollection, string?)"/>:
/// its name, the service collection, and the named <see cref="HttpClient"/> its metric provider sends through. A backend
/// method (<see cref="PrometheusCanaryAnalysisBuilderExtensions.AddPrometheus"/>, <see cref="DatadogCanaryAnalysisBuilderExtensions.AddDatadog"/>)
/// says what it reads.
/// </summary>
public sealed class CanaryAnalysisBuilder
{
    internal CanaryAnalysisBuilder(IServiceCollection services, string name, IHttpClientBuilder httpClient)
    {
        Services = services;
        Name = name;
        HttpClient = httpClient;
    }

    /// <summary>Gets the service collection the registration was added to, to go on registering services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Gets the registration's name: the options name of its backend's options (<see cref="PrometheusBackendOptions"/>,
    /// <see cref="DatadogBackendOptions"/>) and the service key of its
    /// <see cref="Metrics.IMetricProvider"/> and <see cref="Traffic.ITrafficSource"/>, or <see cref="string.Empty"/> for the
    /// default registration, whose services are not keyed.
    /// </summary>
    public string Name { get; }

    /// <summary>
    /// Gets the builder of the named <see cref="System.Net.Http.HttpClient"/> the metric provider sends through, to add
    /// message handlers (a proxy's authentication, request signing, resilience, logging) or replace the primary handler.
    /// </summary>
    /// <remarks>
    /// The primary handler is a <see cref="System.Net.Http.SocketsHttpHandler"/> that does not follow redirects or keep
    /// cookies (Flurl handles both) and renews its connections every 2 minutes, so DNS changes are seen although the
    /// singleton provider keeps its client for its lifetime. The client's own timeout is replaced by the provider's
    /// per-request timeout (<see cref="Metrics.Prometheus.PrometheusOptions.Timeout"/>, <see cref="Metrics.Datadog.DatadogOptions.Timeout"/>).
    /// </remarks>
    public IHttpClientBuilder HttpClient { get; }
}

using Canary.Analysis.Metrics.Internal;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Datadog;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.DependencyInjection.Internal;

/// <summary>Builds the services of one <see cref="CanaryAnalysisServiceCollectionExtensions.AddCanaryAnalysis(IServiceCollection, string?, Action{CanaryAnalysisOptions}?)"/> registration.</summary>
internal static class CanaryAnalysisFactory
{
    /// <summary>The name of the registration's <see cref="HttpClient"/>: <c>Canary.Analysis</c>, or <c>Canary.Analysis:eu</c> for the registration named <c>eu</c>.</summary>
    public static string HttpClientName(string name) => name.Length == 0 ? "Canary.Analysis" : "Canary.Analysis:" + name;

    /// <summary>
    /// The registration's primary handler, as the providers build their own: no redirects or cookies (Flurl does both),
    /// connections renewed every 2 minutes, at most the backend's <c>MaxConnectionsPerServer</c> connections.
    /// </summary>
    public static HttpMessageHandler CreatePrimaryHandler(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<CanaryAnalysisOptions>>().Get(name);
        var cap = options.Backend == MetricBackend.Datadog ? options.Datadog?.MaxConnectionsPerServer : options.Prometheus?.MaxConnectionsPerServer;
        return HttpHandlers.Create(cap ?? HttpHandlers.DefaultMaxConnectionsPerServer);
    }

    /// <summary>Builds the provider of <see cref="CanaryAnalysisOptions.Backend"/>; reading the options validates them.</summary>
    public static IMetricProvider CreateProvider(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<CanaryAnalysisOptions>>().Get(name);
        var httpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName(name));
        return options.Backend == MetricBackend.Datadog
            ? new DatadogMetricProvider(httpClient, options.Datadog, services.GetRequiredService<TimeProvider>())
            : new PrometheusMetricProvider(httpClient, options.Prometheus, services.GetRequiredService<TimeProvider>());
    }

    /// <summary>Builds the traffic source of <see cref="CanaryAnalysisOptions.Backend"/> over the provider registered under the same name.</summary>
    /// <exception cref="InvalidOperationException">The backend is Datadog but the registered provider is not a <see cref="DatadogMetricProvider"/>.</exception>
    public static ITrafficSource CreateTrafficSource(IServiceProvider services, string name, IMetricProvider provider)
    {
        var options = services.GetRequiredService<IOptionsMonitor<CanaryAnalysisOptions>>().Get(name);
        if (options.Backend != MetricBackend.Datadog)
        {
            return new PrometheusTrafficSource(provider, options.Convention);
        }

        var datadog = provider as DatadogMetricProvider ?? throw new InvalidOperationException(
            $"{CanaryAnalysisOptionsValidator.Path(name)}Backend is Datadog, so the traffic source needs a {nameof(DatadogMetricProvider)}, but the registered {nameof(IMetricProvider)} is a {provider.GetType().FullName}.");
        return new DatadogTrafficSource(datadog, options.DatadogConvention!);
    }
}

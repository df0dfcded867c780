using Canary.Analysis.DependencyInjection.Internal;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Internal;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Metrics.Prometheus.Internal;
using Canary.Analysis.Traffic;
using Microsoft.Extensions.Logging;

namespace Canary.Analysis.DependencyInjection;

/// <summary>
/// What <see cref="PrometheusCanaryAnalysisBuilderExtensions.AddPrometheus"/> builds a registration from: how to reach
/// Prometheus and how the services name their request metrics. Bind it to a registration's configuration section
/// (<c>CanaryAnalysis</c>, or <c>CanaryAnalysis:eu</c> for the registration named <c>eu</c>).
/// </summary>
/// <remarks>
/// Validated when the host starts (<c>ValidateOnStart</c>) and when a service is first resolved; a failure is an
/// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> whose message names each bad field by its
/// configuration path (<c>CanaryAnalysis:Prometheus:Address</c>, <c>CanaryAnalysis:eu:Convention:StatusLabel</c>) and
/// its value; secrets are never printed. The services are singletons built once; later changes do not reach them.
/// </remarks>
public sealed class PrometheusBackendOptions : IBackendOptions
{
    /// <summary>
    /// Gets or sets how to reach Prometheus (or Thanos, Mimir, Cortex, VictoriaMetrics). <see cref="PrometheusOptions.Address"/> is required.
    /// </summary>
    /// <value>The default value is a new <see cref="PrometheusOptions"/> without an address.</value>
    public PrometheusOptions Prometheus { get; set; } = new();

    /// <summary>Gets or sets how the services name their request metrics and labels in Prometheus.</summary>
    /// <value>The default value is <see cref="TrafficConvention.PrometheusNet"/> (prometheus-net.AspNetCore's <c>endpoint</c> and <c>code</c>).</value>
    public TrafficConvention Convention { get; set; } = TrafficConvention.PrometheusNet;

    /// <inheritdoc />
    static string IBackendOptions.Backend => "Prometheus";

    /// <inheritdoc />
    int IBackendOptions.MaxConnectionsPerServer => Prometheus?.MaxConnectionsPerServer ?? HttpHandlers.DefaultMaxConnectionsPerServer;

    /// <inheritdoc />
    IEnumerable<string> IBackendOptions.Problems(string path) =>
        BackendRegistration.Section(Prometheus, path, "Prometheus", (prometheus, at) => PrometheusOptionsRules.Validate(prometheus, fallbackAddress: null, at))
            .Concat(BackendRegistration.Section(Convention, path, "Convention", (convention, at) => convention.FindProblem(at) is { } problem ? [problem.Message] : []));

    /// <inheritdoc />
    IMetricProvider IBackendOptions.CreateProvider(HttpClient httpClient, TimeProvider timeProvider, ILogger logger) =>
        new PrometheusMetricProvider(httpClient, Prometheus, timeProvider) { Logger = logger };

    /// <inheritdoc />
    ITrafficSource IBackendOptions.CreateTrafficSource(IMetricProvider provider, string path) =>
        new PrometheusTrafficSource(provider, Convention);
}

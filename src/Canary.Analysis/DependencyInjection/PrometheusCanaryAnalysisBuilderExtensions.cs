using Canary.Analysis.DependencyInjection.Internal;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.DependencyInjection;

/// <summary>Registers a Prometheus backend for a <see cref="CanaryAnalysisBuilder"/>.</summary>
public static class PrometheusCanaryAnalysisBuilderExtensions
{
    /// <summary>
    /// Makes the registration read Prometheus: its <see cref="Metrics.IMetricProvider"/> is a
    /// <see cref="PrometheusMetricProvider"/> sending through the registration's <see cref="CanaryAnalysisBuilder.HttpClient"/>,
    /// and its <see cref="ITrafficSource"/> a <see cref="PrometheusTrafficSource"/> with <see cref="PrometheusBackendOptions.Convention"/>
    /// over the provider registered under the same name. Calling it again for the same registration adds to its configuration.
    /// </summary>
    /// <param name="builder">The registration, from <c>services.AddCanaryAnalysis()</c>.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; o.Prometheus.Address = new Uri("http://prometheus:9090")</c>; null when they are configured elsewhere (bound from configuration).</param>
    /// <returns>The same registration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The registration already has another backend.</exception>
    public static CanaryAnalysisBuilder AddPrometheus(this CanaryAnalysisBuilder builder, Action<PrometheusBackendOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return BackendRegistration.Add(builder, configure);
    }
}

using Canary.Analysis.DependencyInjection.Internal;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Datadog;

namespace Canary.Analysis.DependencyInjection;

/// <summary>Registers a Datadog backend for a <see cref="CanaryAnalysisBuilder"/>.</summary>
public static class DatadogCanaryAnalysisBuilderExtensions
{
    /// <summary>
    /// Makes the registration read Datadog: its <see cref="IMetricProvider"/> is a <see cref="DatadogMetricProvider"/>
    /// sending through the registration's <see cref="CanaryAnalysisBuilder.HttpClient"/>, and its
    /// <see cref="Traffic.ITrafficSource"/> a <see cref="DatadogTrafficSource"/> with <see cref="DatadogBackendOptions.Convention"/>
    /// over the provider registered under the same name (which must implement <see cref="IDatadogScalarQuery"/>). Calling it
    /// again for the same registration adds to its configuration.
    /// </summary>
    /// <param name="builder">The registration, from <c>services.AddCanaryAnalysis()</c>.</param>
    /// <param name="configure">Sets the options (keys, site, convention); null when they are configured elsewhere (bound from configuration).</param>
    /// <returns>The same registration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The registration already has another backend.</exception>
    public static CanaryAnalysisBuilder AddDatadog(this CanaryAnalysisBuilder builder, Action<DatadogBackendOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return BackendRegistration.Add(builder, configure);
    }
}

using Canary.Analysis.Metrics.Datadog;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.DependencyInjection;

/// <summary>
/// What <see cref="CanaryAnalysisServiceCollectionExtensions.AddCanaryAnalysis(Microsoft.Extensions.DependencyInjection.IServiceCollection, string?, Action{CanaryAnalysisOptions}?)"/>
/// builds: the metrics backend to query, how to reach it, and how the services name their request metrics.
/// </summary>
/// <remarks>
/// <para>The options are validated when the host starts (<c>ValidateOnStart</c>) and again when a service is first
/// resolved; a failure is an <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> whose message names
/// each bad field by its configuration path (for example <c>CanaryAnalysis:Prometheus:Address</c>, or
/// <c>CanaryAnalysis:eu:Prometheus:Address</c> for the registration named <c>eu</c>) and its value. Secrets are never
/// printed.</para>
/// <para>Only the chosen <see cref="Backend"/>'s settings are validated and used. The provider and the traffic source are
/// singletons built once from the options; later changes to the options do not reach them.</para>
/// </remarks>
public sealed class CanaryAnalysisOptions
{
    /// <summary>Gets or sets the metrics backend to query.</summary>
    /// <value>The default value is <see cref="MetricBackend.Prometheus"/>.</value>
    public MetricBackend Backend { get; set; } = MetricBackend.Prometheus;

    /// <summary>
    /// Gets or sets how to reach Prometheus (or Thanos, Mimir, Cortex, VictoriaMetrics) when <see cref="Backend"/> is
    /// <see cref="MetricBackend.Prometheus"/>. <see cref="PrometheusOptions.Address"/> is required.
    /// </summary>
    /// <value>The default value is a new <see cref="PrometheusOptions"/> without an address.</value>
    public PrometheusOptions Prometheus { get; set; } = new();

    /// <summary>Gets or sets how the services name their request metrics and labels in Prometheus.</summary>
    /// <value>The default value is <see cref="TrafficConvention.PrometheusNet"/> (prometheus-net.AspNetCore's <c>endpoint</c> and <c>code</c>).</value>
    public TrafficConvention Convention { get; set; } = TrafficConvention.PrometheusNet;

    /// <summary>
    /// Gets or sets how to reach Datadog when <see cref="Backend"/> is <see cref="MetricBackend.Datadog"/>.
    /// <see cref="DatadogOptions.ApiKey"/> and <see cref="DatadogOptions.ApplicationKey"/> are required.
    /// </summary>
    /// <value>The default value is a new <see cref="DatadogOptions"/> for the <c>datadoghq.com</c> site, without keys.</value>
    public DatadogOptions Datadog { get; set; } = new();

    /// <summary>Gets or sets the APM service and span whose trace metrics are read when <see cref="Backend"/> is <see cref="MetricBackend.Datadog"/>; required then.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public DatadogTraceConvention? DatadogConvention { get; set; }
}

using Canary.Analysis.DependencyInjection.Internal;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Datadog;
using Canary.Analysis.Metrics.Datadog.Internal;
using Canary.Analysis.Metrics.Internal;
using Canary.Analysis.Traffic;
using Microsoft.Extensions.Logging;

namespace Canary.Analysis.DependencyInjection;

/// <summary>
/// What <see cref="DatadogCanaryAnalysisBuilderExtensions.AddDatadog"/> builds a registration from: how to reach Datadog
/// and which APM service and span to read. Bind it to a registration's configuration section (<c>CanaryAnalysis</c>, or
/// <c>CanaryAnalysis:eu</c> for the registration named <c>eu</c>).
/// </summary>
/// <remarks>
/// Validated when the host starts (<c>ValidateOnStart</c>) and when a service is first resolved; a failure is an
/// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> whose message names each bad field by its
/// configuration path (<c>CanaryAnalysis:Datadog:ApiKey</c>, <c>CanaryAnalysis:eu:Convention:Service</c>); keys are never
/// printed. The services are singletons built once; later changes do not reach them.
/// </remarks>
public sealed class DatadogBackendOptions : IBackendOptions
{
    /// <summary>
    /// Gets or sets how to reach Datadog. <see cref="DatadogOptions.ApiKey"/> and <see cref="DatadogOptions.ApplicationKey"/> are required.
    /// </summary>
    /// <value>The default value is a new <see cref="DatadogOptions"/> for the <c>datadoghq.com</c> site, without keys.</value>
    public DatadogOptions Datadog { get; set; } = new();

    /// <summary>Gets or sets the APM service and span whose trace metrics are read; required.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public DatadogTraceConvention? Convention { get; set; }

    /// <inheritdoc />
    static string IBackendOptions.Backend => "Datadog";

    /// <inheritdoc />
    int IBackendOptions.MaxConnectionsPerServer => Datadog?.MaxConnectionsPerServer ?? HttpHandlers.DefaultMaxConnectionsPerServer;

    /// <inheritdoc />
    IEnumerable<string> IBackendOptions.Problems(string path) =>
        BackendRegistration.Section(Datadog, path, "Datadog", (datadog, at) => DatadogOptionsRules.Validate(datadog, at))
            .Concat(BackendRegistration.Section(Convention, path, "Convention", (convention, at) => convention.FindProblem(at) is { } problem ? [problem.Message] : []));

    /// <inheritdoc />
    IMetricProvider IBackendOptions.CreateProvider(HttpClient httpClient, TimeProvider timeProvider, ILogger logger) =>
        new DatadogMetricProvider(httpClient, Datadog, timeProvider) { Logger = logger };

    /// <inheritdoc />
    ITrafficSource IBackendOptions.CreateTrafficSource(IMetricProvider provider, string path) =>
        new DatadogTrafficSource(
            provider as IDatadogScalarQuery ?? throw new InvalidOperationException(
                $"{path}Datadog needs an {nameof(IMetricProvider)} that implements {nameof(IDatadogScalarQuery)} for its traffic source, but the registered one is a {provider.GetType().FullName}."),
            Convention!);
}

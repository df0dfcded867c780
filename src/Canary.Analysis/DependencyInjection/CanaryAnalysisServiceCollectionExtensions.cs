using Canary.Analysis.Configuration;
using Canary.Analysis.DependencyInjection.Internal;
using Canary.Analysis.Metrics;
using Canary.Analysis.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.DependencyInjection;

/// <summary>Starts a Canary.Analysis registration in an <see cref="IServiceCollection"/>; a backend method then says what it reads.</summary>
/// <remarks>
/// <code>
/// services.AddCanaryAnalysis().AddPrometheus(o =&gt; o.Prometheus.Address = new Uri("http://prometheus:9090"));
/// services.AddCanaryAnalysis("eu").AddDatadog(o =&gt; { o.Datadog.ApiKey = …; o.Datadog.ApplicationKey = …; o.Convention = new() { Service = "web" }; });
/// </code>
/// <para>A backend (<see cref="PrometheusCanaryAnalysisBuilderExtensions.AddPrometheus"/>,
/// <see cref="DatadogCanaryAnalysisBuilderExtensions.AddDatadog"/>) adds, as singletons disposed by the container:</para>
/// <list type="bullet">
/// <item><description><see cref="IMetricProvider"/>: the backend's provider, sending through the registration's named
/// <see cref="HttpClient"/> from <c>IHttpClientFactory</c> (see <see cref="CanaryAnalysisBuilder.HttpClient"/>);</description></item>
/// <item><description><see cref="ITrafficSource"/>: the backend's traffic source over the <see cref="IMetricProvider"/> registered under the same name;</description></item>
/// <item><description>validation of its options when the host starts (<c>ValidateOnStart</c>), naming each field by its configuration path.</description></item>
/// </list>
/// <para><see cref="TimeProvider"/> is <see cref="TimeProvider.System"/> unless one is registered (a <c>FakeTimeProvider</c> in tests).
/// The default registration's services are not keyed. A named registration (<c>AddCanaryAnalysis("eu")</c>) keys them by its name:
/// resolve them with <c>GetRequiredKeyedService&lt;IMetricProvider&gt;("eu")</c> or <c>[FromKeyedServices("eu")]</c>. A null key
/// resolves the default registration, so <c>GetRequiredKeyedService&lt;IMetricProvider&gt;(name)</c> serves both. A registration
/// reads one backend; a second backend needs a second name.</para>
/// <para>Registrations use <c>TryAdd</c>: calling a backend method again for the same name only adds its configuration, and a
/// service registered before (for example a recorded <see cref="IMetricProvider"/>) is kept. Another backend registers its own
/// keyed <see cref="IMetricProvider"/> and <see cref="ITrafficSource"/> under <see cref="CanaryAnalysisBuilder.Name"/>.</para>
/// <para>The class lives in <c>Canary.Analysis.DependencyInjection</c>, like its folder, rather than in
/// <c>Microsoft.Extensions.DependencyInjection</c>, so the library adds nothing to a namespace it does not own.</para>
/// </remarks>
public static class CanaryAnalysisServiceCollectionExtensions
{
    /// <summary>Starts the default registration, whose services are resolved without a key.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The registration, to add its backend (<c>AddPrometheus</c>, <c>AddDatadog</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static CanaryAnalysisBuilder AddCanaryAnalysis(this IServiceCollection services) => AddCanaryAnalysis(services, name: null);

    /// <summary>Starts a named registration, whose services are keyed by <paramref name="name"/>, or the default one.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">
    /// The registration's name: its options name and its services' key (one per Prometheus server or Datadog site, say
    /// <c>"eu"</c>); null or empty for the default registration, whose services are not keyed.
    /// </param>
    /// <returns>The registration, to add its backend (<c>AddPrometheus</c>, <c>AddDatadog</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is white space only.</exception>
    public static CanaryAnalysisBuilder AddCanaryAnalysis(this IServiceCollection services, string? name)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (name is { Length: > 0 } && string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"The registration name must not be white space only; it was '{name}'. Use null or \"\" for the default registration.", nameof(name));
        }

        var registration = name ?? string.Empty;
        services.TryAddSingleton(TimeProvider.System);
        return new CanaryAnalysisBuilder(services, registration, services.AddHttpClient(BackendRegistration.HttpClientName(registration)));
    }

    /// <summary>
    /// Registers the policies of a configuration section as a <see cref="PolicyCatalog"/> singleton (the format of
    /// <see cref="PolicyCatalog.FromConfiguration"/>: <c>policies</c> by name, a shared <c>source</c>), and, when the section's
    /// <c>source</c> names a Prometheus server, the default registration's Prometheus backend with the named convention.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, e.g. <c>builder.Configuration.GetSection("CanaryAnalysis")</c>.</param>
    /// <returns>The default registration's builder.</returns>
    /// <remarks>
    /// Nothing is ignored: an unknown or misspelt field, a wrong type or an impossible value fails the host's start (and the
    /// first resolve of the catalog) with an <see cref="OptionsValidationException"/> listing every error by configuration path
    /// and value, as a policy file's errors are listed by file and path.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    public static CanaryAnalysisBuilder AddCanaryAnalysis(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = AddCanaryAnalysis(services, name: null);
        services.AddOptions<PolicyCatalogOptions>().Configure(o => o.Read(configuration)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PolicyCatalogOptions>, PolicyCatalogOptionsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<PolicyCatalogOptions>>().Value.Catalog!);
        if (configuration.GetSection("source:prometheus").Exists())
        {
            builder.AddPrometheus(o =>
            {
                // Read again when the options are built; a source with errors leaves them unset and the catalog's check reports why.
                if (PolicyCatalog.ReadSharedSource(configuration) is { Prometheus: { } prometheus } source)
                {
                    o.Prometheus.Address = prometheus.Address;
                    o.Prometheus.TenantId = prometheus.TenantId;
                    o.Prometheus.Timeout = prometheus.Timeout ?? o.Prometheus.Timeout;
                    o.Prometheus.UsePost = prometheus.UsePost ?? o.Prometheus.UsePost;
                    o.Convention = source.Convention;
                }
            });
        }

        return builder;
    }
}

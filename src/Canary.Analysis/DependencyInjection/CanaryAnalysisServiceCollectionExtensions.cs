using Canary.Analysis.DependencyInjection.Internal;
using Canary.Analysis.Metrics;
using Canary.Analysis.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.DependencyInjection;

/// <summary>Registers Canary.Analysis' metric provider and traffic source in an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// <para>Each registration adds, as singletons disposed by the container:</para>
/// <list type="bullet">
/// <item><description><see cref="IMetricProvider"/>: a <see cref="Metrics.Prometheus.PrometheusMetricProvider"/> or a
/// <see cref="Metrics.Datadog.DatadogMetricProvider"/>, as <see cref="CanaryAnalysisOptions.Backend"/> says, sending
/// through a named <see cref="HttpClient"/> from <c>IHttpClientFactory</c> (see <see cref="CanaryAnalysisBuilder.HttpClient"/>);</description></item>
/// <item><description><see cref="ITrafficSource"/>: a <see cref="PrometheusTrafficSource"/> with
/// <see cref="CanaryAnalysisOptions.Convention"/>, or a <see cref="Metrics.Datadog.DatadogTrafficSource"/> with
/// <see cref="CanaryAnalysisOptions.DatadogConvention"/>, over the <see cref="IMetricProvider"/> registered under the same name;</description></item>
/// <item><description><see cref="TimeProvider"/>: <see cref="TimeProvider.System"/>, unless a <see cref="TimeProvider"/> is
/// registered (a <c>FakeTimeProvider</c> in tests);</description></item>
/// <item><description>validation of <see cref="CanaryAnalysisOptions"/> when the host starts (<c>ValidateOnStart</c>).</description></item>
/// </list>
/// <para>The default registration's services are not keyed. A named registration (<c>AddCanaryAnalysis("eu", …)</c>) keys them
/// by its name: resolve them with <c>GetRequiredKeyedService&lt;IMetricProvider&gt;("eu")</c> or
/// <c>[FromKeyedServices("eu")]</c>. A null key resolves the default registration, so
/// <c>GetRequiredKeyedService&lt;IMetricProvider&gt;(name)</c> serves both.</para>
/// <para>Registrations use <c>TryAdd</c>: calling a method again with the same name only adds its configuration, and a
/// service registered before (for example a recorded <see cref="IMetricProvider"/>) is kept. There is no registration for
/// <see cref="Policies.PolicyLinter"/>: it is a static class.</para>
/// <para>The class lives in <c>Canary.Analysis.DependencyInjection</c>, like its folder, rather than in
/// <c>Microsoft.Extensions.DependencyInjection</c>, so the library adds nothing to a namespace it does not own.</para>
/// </remarks>
public static class CanaryAnalysisServiceCollectionExtensions
{
    /// <summary>
    /// Adds the default registration with options configured elsewhere (for example
    /// <c>services.Configure&lt;CanaryAnalysisOptions&gt;(…)</c> or a bound configuration section).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The registration, to configure its <see cref="HttpClient"/> or go on with <see cref="CanaryAnalysisBuilder.Services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static CanaryAnalysisBuilder AddCanaryAnalysis(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddCanaryAnalysis(services, name: null, configure: null);
    }

    /// <summary>Adds the default registration, whose services are resolved without a key.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, for example <c>o =&gt; o.Prometheus.Address = new Uri("http://prometheus:9090")</c>.</param>
    /// <returns>The registration, to configure its <see cref="HttpClient"/> or go on with <see cref="CanaryAnalysisBuilder.Services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    public static CanaryAnalysisBuilder AddCanaryAnalysis(this IServiceCollection services, Action<CanaryAnalysisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCanaryAnalysis(services, name: null, configure);
    }

    /// <summary>Adds a named registration, whose services are keyed by <paramref name="name"/>, or the default one.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">
    /// The registration's name: its options name and its services' key (one per Prometheus server or Datadog site, say
    /// <c>"eu"</c>); null or empty for the default registration, whose services are not keyed.
    /// </param>
    /// <param name="configure">Sets the options; null when they are configured elsewhere.</param>
    /// <returns>The registration, to configure its <see cref="HttpClient"/> or go on with <see cref="CanaryAnalysisBuilder.Services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is white space only.</exception>
    public static CanaryAnalysisBuilder AddCanaryAnalysis(this IServiceCollection services, string? name, Action<CanaryAnalysisOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (name is { Length: > 0 } && string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"The registration name must not be white space only; it was '{name}'. Use null or \"\" for the default registration.", nameof(name));
        }

        var optionsName = name ?? Options.DefaultName;
        object? key = optionsName.Length == 0 ? null : optionsName;

        var options = services.AddOptions<CanaryAnalysisOptions>(optionsName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CanaryAnalysisOptions>, CanaryAnalysisOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // Set the client's primary handler once, so that a handler the caller configured after a first call is kept.
        var firstCall = !services.Any(d => d.ServiceType == typeof(IMetricProvider) && Equals(d.ServiceKey, key));
        var httpClient = services.AddHttpClient(CanaryAnalysisFactory.HttpClientName(optionsName));
        if (firstCall)
        {
            httpClient.ConfigurePrimaryHttpMessageHandler(sp => CanaryAnalysisFactory.CreatePrimaryHandler(sp, optionsName))
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        }

        // A null key registers the services without a key.
        services.TryAddKeyedSingleton<IMetricProvider>(key, (sp, _) => CanaryAnalysisFactory.CreateProvider(sp, optionsName));
        services.TryAddKeyedSingleton<ITrafficSource>(key, (sp, _) => CanaryAnalysisFactory.CreateTrafficSource(sp, optionsName, sp.GetRequiredKeyedService<IMetricProvider>(key)));
        return new CanaryAnalysisBuilder(services, optionsName, httpClient);
    }
}

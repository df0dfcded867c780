using System.Diagnostics.CodeAnalysis;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.DependencyInjection.Internal;

/// <summary>
/// What every backend registration (<c>AddPrometheus</c>, <c>AddDatadog</c>) does, once: its named options validated at
/// start, the primary handler of the registration's client, and the keyed provider and traffic source, all with <c>TryAdd</c>.
/// </summary>
internal static class BackendRegistration
{
    /// <summary>The configuration path of a registration's options, ending with a colon: <c>CanaryAnalysis:</c> or <c>CanaryAnalysis:eu:</c>.</summary>
    public static string Path(string? name) => string.IsNullOrEmpty(name) ? "CanaryAnalysis:" : "CanaryAnalysis:" + name + ":";

    /// <summary>The name of the registration's <see cref="HttpClient"/>: <c>Canary.Analysis</c>, or <c>Canary.Analysis:eu</c> for the registration named <c>eu</c>.</summary>
    public static string HttpClientName(string name) => name.Length == 0 ? "Canary.Analysis" : "Canary.Analysis:" + name;

    /// <summary>The service key of a registration: null (not keyed) for the default one.</summary>
    public static object? Key(string name) => name.Length == 0 ? null : name;

    /// <summary>Registers one backend for <paramref name="builder"/>'s name.</summary>
    /// <typeparam name="TOptions">The backend's options, which know how to validate themselves and build its services.</typeparam>
    /// <param name="builder">The registration.</param>
    /// <param name="configure">Configures the options; null when they are configured elsewhere.</param>
    /// <exception cref="InvalidOperationException">Another backend is registered under the name.</exception>
    public static CanaryAnalysisBuilder Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(CanaryAnalysisBuilder builder, Action<TOptions>? configure)
        where TOptions : class, IBackendOptions
    {
        var services = builder.Services;
        var name = builder.Name;
        var key = Key(name);
        var existing = services
            .Where(d => d.ServiceType == typeof(BackendMarker) && Equals(d.ServiceKey, key))
            .Select(d => (d.IsKeyedService ? d.KeyedImplementationInstance : d.ImplementationInstance) as BackendMarker)
            .FirstOrDefault();
        if (existing is not null && existing.Backend != TOptions.Backend)
        {
            throw new InvalidOperationException(
                $"The registration {Describe(name)} already reads {existing.Backend}; it cannot also read {TOptions.Backend}. Add a named registration (AddCanaryAnalysis(\"name\")) for a second backend.");
        }

        var options = services.AddOptions<TOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        if (existing is null)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, BackendOptionsValidator<TOptions>>());
            services.AddKeyedSingleton(key, new BackendMarker(TOptions.Backend));

            // Set the client's primary handler once, so that a handler the caller configured after a first call is kept.
            builder.HttpClient
                .ConfigurePrimaryHttpMessageHandler(sp => HttpHandlers.Create(Get<TOptions>(sp, name).MaxConnectionsPerServer))
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        }

        // A null key registers the services without a key. Reading the options validates them.
        services.TryAddKeyedSingleton(key, (sp, _) => Get<TOptions>(sp, name).CreateProvider(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName(name)),
            sp.GetRequiredService<TimeProvider>(),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("Canary.Analysis.Metrics." + TOptions.Backend)));
        services.TryAddKeyedSingleton(key, (sp, _) => Get<TOptions>(sp, name).CreateTrafficSource(sp.GetRequiredKeyedService<IMetricProvider>(key), Path(name)));
        return builder;
    }

    /// <summary>The failures of one section of a backend's options: "required" when it is null, else its own rules under its path.</summary>
    /// <param name="value">The section (for example <see cref="PrometheusBackendOptions.Prometheus"/>).</param>
    /// <param name="path">The registration's path, ending with a colon.</param>
    /// <param name="field">The section's name.</param>
    /// <param name="rules">The section's rules, given the section's path (ending with a colon).</param>
    public static IEnumerable<string> Section<T>(T? value, string path, string field, Func<T, string, IEnumerable<string>> rules)
        where T : class =>
        value is null ? [$"{path}{field} is required; it was null."] : rules(value, $"{path}{field}:");

    private static string Describe(string name) => name.Length == 0 ? "(the default one)" : $"'{name}'";

    private static TOptions Get<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceProvider services, string name)
        where TOptions : class =>
        services.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name);

    /// <summary>Which backend a registration reads (one per name).</summary>
    private sealed record BackendMarker(string Backend);
}

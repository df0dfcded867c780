using Canary.Analysis.Configuration;
using Canary.Analysis.Hosting;
using Canary.Analysis.Hosting.Internal;
using Canary.Analysis.Notifications;
using Canary.Analysis.Observability;
using Canary.Analysis.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.DependencyInjection;

/// <summary>Registers a <see cref="RolloutHost"/> for a <see cref="CanaryAnalysisBuilder"/>.</summary>
public static class RolloutHostCanaryAnalysisBuilderExtensions
{
    /// <summary>
    /// Runs rollouts in the host: adds <see cref="RolloutHost"/> as a hosted service (and a singleton), a
    /// <see cref="RolloutRegistry"/> over the registered <see cref="PolicyCatalog"/> (from
    /// <see cref="CanaryAnalysisServiceCollectionExtensions.AddCanaryAnalysis(IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>,
    /// or registered by the application), a <see cref="DirectoryRolloutStateStore"/> in <see cref="RolloutHostOptions.StateDirectory"/>
    /// unless an <see cref="IRolloutStateStore"/> is registered, and <see cref="RolloutHostHealthCheck"/> (add it to the health
    /// checks: <c>services.AddHealthChecks().AddCheck&lt;RolloutHostHealthCheck&gt;("rollouts")</c>). The options are validated
    /// when the host starts.
    /// </summary>
    /// <param name="builder">The registration whose <see cref="ITrafficSource"/> is the default source of rollouts.</param>
    /// <param name="configure">Sets the options; null when they are configured elsewhere.</param>
    /// <returns>The same registration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <remarks>
    /// <see cref="RolloutStatusMetrics"/> and <see cref="NotificationDispatcher"/>, when registered, follow every rollout. Add
    /// rollouts through the registry (<c>GetRequiredService&lt;RolloutRegistry&gt;().Add("checkout-42", "checkout")</c>); rollouts
    /// already in the store are resumed.
    /// </remarks>
    public static CanaryAnalysisBuilder AddRolloutHost(this CanaryAnalysisBuilder builder, Action<RolloutHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<RolloutHostOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RolloutHostOptions>, RolloutHostOptionsValidator>());
        services.TryAddSingleton<IRolloutStateStore>(sp => new DirectoryRolloutStateStore(
            sp.GetRequiredService<IOptions<RolloutHostOptions>>().Value.StateDirectory
                ?? throw new InvalidOperationException("Set RolloutHostOptions.StateDirectory, or register an IRolloutStateStore, for the rollout host to keep its states."),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new RolloutRegistry(sp.GetService<PolicyCatalog>()
            ?? throw new InvalidOperationException("Register the policies for the rollout host: AddCanaryAnalysis(configuration), or services.AddSingleton(PolicyCatalog.LoadDirectory(directory)).")));
        var key = builder.Name.Length == 0 ? null : builder.Name;
        services.TryAddSingleton(sp => new RolloutHost(
            sp.GetRequiredService<RolloutRegistry>(),
            sp.GetRequiredService<IRolloutStateStore>(),
            sp.GetRequiredService<IOptions<RolloutHostOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<RolloutStatusMetrics>(),
            sp.GetService<NotificationDispatcher>(),
            sp.GetKeyedService<ITrafficSource>(key)));
        services.AddHostedService(sp => sp.GetRequiredService<RolloutHost>());
        services.TryAddSingleton<RolloutHostHealthCheck>();
        return builder;
    }
}

using Canary.Analysis.Configuration;
using Canary.Analysis.DependencyInjection;
using Canary.Analysis.Hosting;
using Canary.Analysis.Simulation;
using Canary.Analysis.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Canary.Analysis.Host;

/// <summary>Builds and runs the host: the policy catalog, <c>AddRolloutHost</c> over a state directory, the rollouts to start.</summary>
internal static class HostApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter errors)
    {
        if (HostArguments.Parse(args, errors) is not { } arguments)
        {
            return 2;
        }

        PolicyCatalog catalog;
        try
        {
            catalog = PolicyCatalog.LoadDirectory(arguments.Policies);
        }
        catch (PolicyDocumentException e)
        {
            errors.WriteLine(e.Message);
            return 2;
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ApplicationName = "Canary.Analysis.Host" });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.AddSingleton(catalog);
        if (arguments.SimulationStart is { } start)
        {
            builder.Services.AddSingleton<ITrafficSource>(new SimulatedTrafficSource(Simulated(start, arguments.CanaryErrorRate), seed: 42));
        }

        builder.Services.AddCanaryAnalysis().AddRolloutHost(o =>
        {
            o.StateDirectory = arguments.State;
            o.PollInterval = TimeSpan.FromSeconds(1);
            o.LeaseDuration = arguments.Lease ?? o.LeaseDuration;
            if (arguments.Instance is { } instance)
            {
                o.InstanceId = instance;
            }
        });

        using var host = builder.Build();
        var registry = host.Services.GetRequiredService<RolloutRegistry>();
        foreach (var (rollout, policy) in arguments.Rollouts)
        {
            try
            {
                registry.Add(rollout, policy);
            }
            catch (KeyNotFoundException e)
            {
                errors.WriteLine($"--rollout {rollout}={policy}: {e.Message}");
                return 2;
            }
        }

        await host.RunAsync();
        return 0;
    }

    /// <summary>A busy service: two endpoints without errors but the canary's on /api/pay (as given), scraped every second.</summary>
    private static SimulatedTrafficModel Simulated(DateTimeOffset start, double canaryErrorRate) => new()
    {
        Start = start,
        ScrapeInterval = TimeSpan.FromSeconds(1),
        CanaryWeight = 0.5,
        Endpoints =
        [
            new SimulatedEndpoint { Name = "/api/pay", RequestsPerSecond = 4000, ErrorRate = 0 },
            new SimulatedEndpoint { Name = "/api/search", RequestsPerSecond = 6000, ErrorRate = 0 },
        ],
        Faults = canaryErrorRate > 0 ? [new SimulatedFault { Endpoint = "/api/pay", ErrorRate = canaryErrorRate }] : [],
    };
}

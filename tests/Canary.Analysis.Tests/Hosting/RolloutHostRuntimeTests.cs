using Canary.Analysis.DependencyInjection;
using Canary.Analysis.Hosting;
using Canary.Analysis.Policies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.Tests.Hosting;

/// <summary>The rollout host as an application runs it: registered with <c>AddRolloutHost</c>, on the generic host and the real clock.</summary>
public sealed class RolloutHostRuntimeTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("canary-host-runtime-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task OnTheRealClock_ARolloutWithOneSecondLooks_IsMeasuredWhenDue_AndPromoted()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var traffic = new HostTestTraffic();
        using var app = Build(o => o.PollInterval = TimeSpan.FromMilliseconds(200));
        var host = app.Services.GetRequiredService<RolloutHost>();
        var health = app.Services.GetRequiredService<RolloutHostHealthCheck>();
        app.Services.GetRequiredService<RolloutRegistry>().Add("shop.web", "web", traffic);

        await app.StartAsync(timeout.Token);
        await WaitAsync(() => host.Rollouts.SingleOrDefault()?.Health == HostedRolloutHealth.Running, timeout.Token);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext(), timeout.Token)).Status);
        await WaitAsync(() => host.Rollouts.Single().Health == HostedRolloutHealth.Ended, timeout.Token);
        await app.StopAsync(timeout.Token);

        var state = (await new DirectoryRolloutStateStore(_directory.FullName).LoadAsync("shop.web", timeout.Token))!.State;
        Assert.Equal(RolloutStatus.Promoted, state.Status);
        var looks = traffic.Reads.Select(r => r.End).ToList();
        Assert.Equal(3, looks.Count);
        Assert.All(looks.Zip(looks.Skip(1)), pair => Assert.InRange((pair.Second - pair.First).TotalSeconds, 0.95, 3));
        Assert.InRange((looks[0] - state.StartedAt).TotalSeconds, 0.95, 3); // one interval after the analysis started (sub-second offsets and all)
        Assert.False(host.IsRunning);
    }

    [Fact]
    public async Task InvalidOptions_FailTheHostsStart_NamingTheSetting()
    {
        using var app = Build(o => o.LeaseDuration = TimeSpan.Zero);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("LeaseDuration must be positive and at most a day, not 00:00:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneHostIsRegistered_AsAHostedServiceAndASingleton()
    {
        using var app = Build(o => { });

        var host = app.Services.GetRequiredService<RolloutHost>();

        Assert.Same(host, Assert.Single(app.Services.GetServices<IHostedService>().OfType<RolloutHost>()));
        Assert.IsType<DirectoryRolloutStateStore>(app.Services.GetRequiredService<IRolloutStateStore>());
    }

    private static async Task WaitAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, cancellationToken);
        }
    }

    private IHost Build(Action<RolloutHostOptions> configure)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(HostTestPolicies.Catalog(HostTestPolicies.Web(interval: TimeSpan.FromSeconds(1))));
        builder.Services.AddCanaryAnalysis().AddRolloutHost(o =>
        {
            o.StateDirectory = _directory.FullName;
            o.InstanceId = "runtime";
            configure(o);
        });
        builder.Services.AddCanaryAnalysis().AddRolloutHost(); // registering twice adds no second host
        return builder.Build();
    }
}

using Canary.Analysis.Configuration;
using Canary.Analysis.Hosting;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Policies;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Analysis.IntegrationTests.Samples.Host;

/// <summary>
/// The YAML (<c>samples/policies/checkout.yaml</c>) loaded as it is and run through <see cref="RolloutHost"/>, its checks
/// reading a real Prometheus through the provider the host builds for the document's <c>source.prometheus</c>; the clock is
/// virtual (the data is at fixed times), every other part is real.
/// </summary>
public sealed class HostCheckoutTests(HostCheckoutData data) : IClassFixture<HostCheckoutData>, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("canary-host-checkout-");

    public void Dispose() => _root.Delete(recursive: true);

    [PrometheusFact]
    public async Task AHealthyCanary_PassesTheFailFastStep_AndSoaksAtTenPercent()
    {
        var (host, time, store) = Create(HostCheckoutData.HealthyFrom.AddMinutes(2));

        await RunUntilAsync(host, time, () => time.GetUtcNow() >= HostCheckoutData.HealthyFrom.AddMinutes(20));

        var state = (await store.LoadAsync("shop.checkout"))!.State;
        Assert.Equal((RolloutStatus.Progressing, 3, 10), (state.Status, state.StepIndex, state.Weight)); // in the 24 h soak
        Assert.Equal(["error-rate", "success-rate", "latency"], state.StepAnalysis!.Metrics.Select(m => m.Name));
        Assert.All(state.StepAnalysis.Metrics, m => Assert.Equal(0, m.Errors)); // every query answered
        Assert.Equal(HostedRolloutHealth.Running, host.Rollouts.Single().Health);
    }

    [PrometheusFact]
    public async Task AFailingCanary_IsRolledBackDuringTheFailFastStep()
    {
        var (host, time, store) = Create(HostCheckoutData.FailingFrom.AddMinutes(2));

        await RunUntilAsync(host, time, () => host.Rollouts.SingleOrDefault()?.Health == HostedRolloutHealth.Ended);

        var state = (await store.LoadAsync("shop.checkout"))!.State;
        Assert.Equal((RolloutStatus.Aborted, 0), (state.Status, state.Weight));
        Assert.Equal(RolloutAction.Rollback, host.Rollouts.Single().LastDecision!.Action);
        Assert.Contains("/api/pay", state.Message, StringComparison.Ordinal);
        Assert.InRange(time.GetUtcNow() - HostCheckoutData.FailingFrom.AddMinutes(2), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(13));
    }

    private (RolloutHost Host, FakeTimeProvider Time, DirectoryRolloutStateStore Store) Create(DateTimeOffset start)
    {
        var policies = Directory.CreateDirectory(Path.Combine(_root.FullName, "policies")).FullName;
        File.WriteAllText(Path.Combine(policies, "checkout.yaml"), data.Policy());
        var time = new FakeTimeProvider(start);
        var store = new DirectoryRolloutStateStore(Path.Combine(_root.FullName, "state"), time);
        var registry = new RolloutRegistry(PolicyCatalog.LoadDirectory(policies));
        registry.Add("shop.checkout", "checkout");
        return (new RolloutHost(registry, store, Options.Create(new RolloutHostOptions { InstanceId = "test" }), time), time, store);
    }

    private static async Task RunUntilAsync(RolloutHost host, FakeTimeProvider time, Func<bool> done)
    {
        using (host)
        {
            for (var pass = 0; pass < 1000 && !done(); pass++)
            {
                time.Advance(await host.RunPassAsync(CancellationToken.None));
            }
        }

        Assert.True(done(), "The host did not get there in 1000 passes.");
    }
}

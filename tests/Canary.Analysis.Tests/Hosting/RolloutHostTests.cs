using Canary.Analysis.Configuration;
using Canary.Analysis.Hosting;
using Canary.Analysis.Observability;
using Canary.Analysis.Policies;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Analysis.Tests.Hosting;

/// <summary>The rollout host on a fake clock: passes are run one by one (<see cref="RolloutHost.RunPassAsync"/>), the clock moved between them.</summary>
public sealed class RolloutHostTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("canary-host-");
    private readonly FakeTimeProvider _time = new(Start);
    private readonly List<(string Host, string Rollout, RolloutDecision Decision)> _decisions = [];

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task ARegisteredRollout_StartsAndSettlesItsAdvanceInOneTick_SavingEachDecision()
    {
        var (host, registry, traffic) = Create();
        registry.Add("shop.web", "web", traffic);

        await host.RunPassAsync(CancellationToken.None);

        Assert.Equal([RolloutAction.Advance, RolloutAction.Continue], _decisions.Select(d => d.Decision.Action));
        var saved = await Store().LoadAsync("shop.web");
        Assert.Equal((1, 10, RolloutStatus.Progressing), (saved!.State.StepIndex, saved.State.Weight, saved.State.Status));
        Assert.Equal(HostedRolloutHealth.Running, host.Rollouts.Single().Health);
        Assert.Empty(traffic.Reads); // the first look is one interval in
    }

    [Fact]
    public async Task EveryRollout_IsFollowedByTheRegisteredStatusMetrics_UnderItsIdAndNamespace()
    {
        var registry = new RolloutRegistry(HostTestPolicies.Catalog(HostTestPolicies.Web()));
        var collectors = Prometheus.Metrics.NewCustomRegistry();
        var host = new RolloutHost(registry, Store(), Options.Create(new RolloutHostOptions()), _time, metrics: new RolloutStatusMetrics(collectors));
        registry.Add("shop.web", "web", new HostTestTraffic(), "shop");
        registry.Add("shop.web-2", "web", new HostTestTraffic(), "shop");

        await host.RunPassAsync(CancellationToken.None);

        // Two rollouts of one policy keep their series apart: labelled by the rollout's id, not the policy's name.
        using var text = new MemoryStream();
        await collectors.CollectAndExportAsTextAsync(text);
        var exported = System.Text.Encoding.UTF8.GetString(text.ToArray());
        foreach (var id in new[] { "shop.web", "shop.web-2" })
        {
            Assert.Matches($$"""canary_rollout_step\{rollout="{{id}}",namespace="shop"\} 1\n""", exported);
            Assert.Matches($$"""canary_rollout_weight_percent\{rollout="{{id}}",namespace="shop",kind="requested"\} 10\n""", exported);
        }

        Assert.DoesNotContain("rollout=\"web\"", exported, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARollout_IsMeasuredExactlyWhenDue_AndPromotes()
    {
        var (host, registry, traffic) = Create();
        registry.Add("shop.web", "web", traffic);

        var passes = await RunUntilAsync(() => host.Rollouts.Single().Health == HostedRolloutHealth.Ended, host);

        Assert.Equal([Start + Minute, Start + (2 * Minute), Start + (3 * Minute)], traffic.Reads.Select(r => r.End));
        Assert.Equal(RolloutStatus.Promoted, (await Store().LoadAsync("shop.web"))!.State.Status);
        Assert.InRange(passes, 4, 45); // woken for the looks, the lease renewals (10 s) and the store polls (5 s), never spinning
        Assert.Equal(RolloutAction.Promote, host.Rollouts.Single().LastDecision!.Action);
    }

    [Fact]
    public async Task AStoreWithoutLeases_RunsTheRolloutAlone_WokenOnlyWhenALookIsDue()
    {
        var (host, registry, traffic) = Create(store: new StateOnlyStore(Store()), configure: o => o.PollInterval = TimeSpan.FromMinutes(10));
        registry.Add("shop.web", "web", traffic);

        var passes = await RunUntilAsync(() => host.Rollouts.Single().Health == HostedRolloutHealth.Ended, host);

        Assert.Equal([Start + Minute, Start + (2 * Minute), Start + (3 * Minute)], traffic.Reads.Select(r => r.End));
        Assert.Equal(4, passes); // the start, then one wake-up per look: no lease to renew
        Assert.Empty(_directory.GetFiles(".*.lease"));
    }

    [Fact]
    public async Task AHostStartedOnTheSameStore_ContinuesFromTheSavedState_EvidenceKept()
    {
        var (first, registry, traffic) = Create("first");
        registry.Add("shop.web", "web", traffic);
        await RunUntilAsync(() => traffic.Reads.Count == 2, first);
        await first.ReleaseAllAsync();
        first.Dispose();
        var before = (await Store().LoadAsync("shop.web"))!.State;
        Assert.Equal(2, before.StepAnalysis!.Metrics.Single().History.Count);

        var secondTraffic = new HostTestTraffic("second");
        var (second, _, _) = Create("second", defaultSource: secondTraffic); // not registered there: found in the store
        await RunUntilAsync(() => second.Rollouts.SingleOrDefault()?.Health == HostedRolloutHealth.Ended, second);

        Assert.Equal([Start + (3 * Minute)], secondTraffic.Reads.Select(r => r.End));
        var resumedLook = _decisions.First(d => d.Host == "second" && d.Decision.StepAnalysis?.Metrics.Single().History.Count == 3).Decision;
        Assert.Equal(before.StepAnalysis.Metrics.Single().History, resumedLook.StepAnalysis!.Metrics.Single().History.Take(2));
        Assert.Equal(RolloutStatus.Promoted, (await Store().LoadAsync("shop.web"))!.State.Status);
    }

    [Fact]
    public async Task ASavedStateThatDoesNotFitItsPolicy_IsRefusedWithTheReason_NeverObeyed()
    {
        var catalog = HostTestPolicies.Catalog(HostTestPolicies.Web());
        var rollout = new CanaryRollout(catalog["web"].Build(new HostTestTraffic()), Start);
        await rollout.TickUntilSettledAsync(Start);
        await Store().SaveAsync("shop.web", rollout.State with { Weight = 33 }, null);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_directory.FullName, "shop.web.json"));
        var traffic = new HostTestTraffic();
        var (host, _, _) = Create(defaultSource: traffic);

        await host.StartAsync(CancellationToken.None);
        await WaitAsync(() => host.Rollouts.SingleOrDefault()?.Health == HostedRolloutHealth.Refused);
        var health = await new RolloutHostHealthCheck(host).CheckHealthAsync(new HealthCheckContext());
        await host.StopAsync(CancellationToken.None);

        var status = host.Rollouts.Single();
        Assert.Contains("does not fit policy 'web'", status.Reason, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("does not fit", (string)health.Data["shop.web"], StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_directory.FullName, "shop.web.json")));
        Assert.Empty(traffic.Reads);
        Assert.Empty(_decisions);
    }

    [Fact]
    public async Task ARolloutWithNoTrafficSource_IsRefused_AndNeverStarted()
    {
        var (host, registry, _) = Create();
        registry.Add("shop.web", "web"); // the policy names no source.prometheus, and the host has no default source

        await host.RunPassAsync(CancellationToken.None);

        var status = host.Rollouts.Single();
        Assert.Equal(HostedRolloutHealth.Refused, status.Health);
        Assert.Contains("policy 'web' names no source", status.Reason, StringComparison.Ordinal);
        Assert.Null(await Store().LoadAsync("shop.web"));
    }

    [Fact]
    public async Task AStateSavedElsewhereDuringATick_IsReadAgain_NeverOverwritten()
    {
        var store = new InterceptingStore(Store());
        var (host, registry, traffic) = Create(store: store);
        registry.Add("shop.web", "web", traffic);
        await host.RunPassAsync(CancellationToken.None);

        // While the host measures its first look, a human aborts the rollout and saves.
        RolloutState? aborted = null;
        store.BeforeSave = async () =>
        {
            var saved = (await store.Inner.LoadAsync("shop.web"))!;
            var human = CanaryRollout.Resume(HostTestPolicies.Catalog(HostTestPolicies.Web())["web"].Build(new HostTestTraffic()), saved.State);
            human.Apply(ManualAction.Abort, "alice", "wrong build", _time.GetUtcNow());
            aborted = human.State;
            await store.Inner.SaveAsync("shop.web", human.State, saved.Version);
        };
        await RunUntilAsync(() => host.Rollouts.Single().Health == HostedRolloutHealth.Ended, host);

        var final = (await Store().LoadAsync("shop.web"))!.State;
        Assert.Equal(aborted, final);
        Assert.Equal("alice", final.Overrides.Single().By);
        Assert.Single(traffic.Reads); // the look whose decision lost the race; nothing after the abort
    }

    [Fact]
    public async Task ProviderErrors_AreRetriedWithCappedExponentialBackoff_ThenTheRolloutRecovers()
    {
        var (host, registry, traffic) = Create(configure: o => o.RetryMaximumDelay = TimeSpan.FromSeconds(30));
        registry.Add("shop.web", "web", traffic);
        traffic.Fail = true;

        await RunUntilAsync(() => traffic.Reads.Count == 4, host);
        var backoff = host.Rollouts.Single();
        Assert.Equal((HostedRolloutHealth.Backoff, 4), (backoff.Health, backoff.ConsecutiveFailures));
        Assert.Contains("provider error", backoff.Reason, StringComparison.Ordinal);
        traffic.Fail = false;
        await RunUntilAsync(() => host.Rollouts.Single().Health != HostedRolloutHealth.Backoff, host);

        // First look at 1 min; retries after 10 s, 20 s, then 30 s (capped), twice.
        Assert.Equal([60, 70, 90, 120, 150], traffic.Reads.Select(r => (r.End - Start).TotalSeconds));
        var saved = (await Store().LoadAsync("shop.web"))!.State;
        Assert.Equal(5, saved.StepAnalysis!.Metrics.Single().History.Count); // every error kept with the look that followed
        Assert.Equal(HostedRolloutHealth.Running, host.Rollouts.Single().Health);
    }

    [Fact]
    public async Task ARunningHostWithARolloutInBackoff_IsDegraded_ThenHealthyAgain()
    {
        var (host, registry, traffic) = Create();
        var check = new RolloutHostHealthCheck(host);
        registry.Add("shop.web", "web", traffic);
        traffic.Fail = true;
        await host.StartAsync(CancellationToken.None);
        await WaitAsync(() => host.Rollouts.SingleOrDefault()?.Health == HostedRolloutHealth.Running);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        _time.Advance(Minute);
        await WaitAsync(() => host.Rollouts.Single().Health == HostedRolloutHealth.Backoff);
        var degraded = await check.CheckHealthAsync(new HealthCheckContext());
        traffic.Fail = false;
        _time.Advance(TimeSpan.FromSeconds(10));
        await WaitAsync(() => host.Rollouts.Single().Health == HostedRolloutHealth.Running);
        var healthy = await check.CheckHealthAsync(new HealthCheckContext());
        await host.StopAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("1 provider error(s) in a row on 'success-rate'", (string)degraded.Data["shop.web"], StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
    }

    [Fact]
    public async Task AStoreThatFails_PutsTheRolloutInBackoff_AndNothingIsLost()
    {
        var store = new InterceptingStore(Store());
        var (host, registry, traffic) = Create(store: store);
        registry.Add("shop.web", "web", traffic);
        await host.RunPassAsync(CancellationToken.None);
        var failures = 2;
        store.BeforeSave = () => failures-- > 0 ? throw new IOException("disk full (test)") : Task.CompletedTask;

        await RunUntilAsync(() => host.Rollouts.Single().Health == HostedRolloutHealth.Backoff, host);
        Assert.True(host.StoreFailing);
        await RunUntilAsync(() => host.Rollouts.Single().Health == HostedRolloutHealth.Ended, host);

        var final = (await Store().LoadAsync("shop.web"))!.State;
        Assert.Equal(RolloutStatus.Promoted, final.Status);
        Assert.False(host.StoreFailing);
        Assert.Equal([60, 70, 90, 150, 210], traffic.Reads.Select(r => (r.End - Start).TotalSeconds)); // the first look retaken twice: its decisions were never saved
    }

    [Fact]
    public async Task TwoHostsOnOneStore_NeverTickTheSameRollout_AndOneTakesOverAfterTheOtherStops()
    {
        var catalog = HostTestPolicies.Catalog(HostTestPolicies.Web(looks: 20));
        var (a, registryA, trafficA) = Create("a", catalog: catalog, defaultSource: new HostTestTraffic("a"));
        var (b, registryB, trafficB) = Create("b", catalog: catalog, defaultSource: new HostTestTraffic("b"));
        registryA.Add("r1", "web", trafficA);
        registryA.Add("r2", "web", trafficA);
        await a.RunPassAsync(CancellationToken.None);
        registryB.Add("r3", "web", trafficB);
        registryB.Add("r4", "web", trafficB);
        registryB.Add("r1", "web", trafficB); // both want r1: A owns it

        for (var i = 0; i < 40; i++)
        {
            var wait = Min(await a.RunPassAsync(CancellationToken.None), await b.RunPassAsync(CancellationToken.None));
            _time.Advance(wait);
        }

        var owners = _decisions.GroupBy(d => d.Rollout).ToDictionary(g => g.Key, g => string.Join(",", g.Select(d => d.Host).Distinct()));
        Assert.Equal(new Dictionary<string, string> { ["r1"] = "a", ["r2"] = "a", ["r3"] = "b", ["r4"] = "b" }, owners);
        Assert.Equal(HostedRolloutHealth.NotOwned, b.Rollouts.Single(r => r.Rollout == "r1").Health);

        // A stops without a word (a crash: its leases are not released); B takes r1 and r2 over once they expire.
        var stoppedAt = _time.GetUtcNow();
        var lastByA = _decisions.Last(d => d.Rollout == "r1").Decision;
        _decisions.Clear();
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(await b.RunPassAsync(CancellationToken.None));
        }

        var takeover = _decisions.First(d => d.Rollout == "r1");
        Assert.Equal("b", takeover.Host);
        Assert.InRange(takeover.Decision.At - stoppedAt, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(31)); // renewed ≤ 10 s before the stop, 30 s leases
        Assert.Equal(lastByA.StepIndex, takeover.Decision.StepIndex);
        Assert.True(takeover.Decision.StepAnalysis!.Metrics.Single().History.Count >= lastByA.StepAnalysis!.Metrics.Single().History.Count);
        Assert.Equal(["b"], _decisions.Select(d => d.Host).Distinct());

        // A comes back: its leases lapsed, so it does not tick what B now owns.
        _decisions.Clear();
        await a.RunPassAsync(CancellationToken.None);
        Assert.DoesNotContain(_decisions, d => d.Host == "a");
        Assert.All(a.Rollouts, r => Assert.Equal(HostedRolloutHealth.NotOwned, r.Health));
    }

    [Fact]
    public async Task Stopping_CancelsTheTickInFlight_KeepsTheLastWholeDecision_AndReleasesTheLease()
    {
        var (host, registry, traffic) = Create();
        registry.Add("shop.web", "web", traffic);
        await host.StartAsync(CancellationToken.None);
        await WaitAsync(() => host.Rollouts.SingleOrDefault()?.Health == HostedRolloutHealth.Running);
        var before = await File.ReadAllBytesAsync(Path.Combine(_directory.FullName, "shop.web.json"));
        var hanging = new TaskCompletionSource();
        traffic.Hang = hanging;

        _time.Advance(Minute);
        await hanging.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(_directory.FullName, "shop.web.json")));
        Assert.False(File.Exists(Path.Combine(_directory.FullName, ".shop.web.lease")));
        Assert.Empty(_directory.GetFiles("*.tmp"));
        Assert.False(host.IsRunning);
        Assert.Equal(HealthStatus.Unhealthy, (await new RolloutHostHealthCheck(host).CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public void InvalidOptions_AreRefused_NamingEverySetting()
    {
        var options = new RolloutHostOptions { PollInterval = TimeSpan.Zero, MaxAdvancesPerTick = 0, RetryInitialDelay = TimeSpan.FromMinutes(10) };

        var error = Assert.Throws<OptionsValidationException>(() => new RolloutHost(new RolloutRegistry(HostTestPolicies.Catalog(HostTestPolicies.Web())), Store(), Options.Create(options)));

        Assert.Contains("PollInterval must be positive and at most a day, not 00:00:00", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxAdvancesPerTick must be at least 1, not 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("RetryMaximumDelay (00:05:00) must not be shorter than RetryInitialDelay (00:10:00)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheLoopDies_TheHealthCheckIsUnhealthy_WithTheError()
    {
        var registry = new RolloutRegistry(HostTestPolicies.Catalog(HostTestPolicies.Web()));
        var host = new RolloutHost(registry, Store(), Options.Create(new RolloutHostOptions()), _time, new ThrowingLoggerFactory());

        await host.StartAsync(CancellationToken.None);
        await WaitAsync(() => host.Failure is not null);

        var health = await new RolloutHostHealthCheck(host).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("loop died: InvalidOperationException: logging is broken (test)", health.Description, StringComparison.Ordinal);
        Assert.False(host.IsRunning);
    }

    [Fact]
    public void RetryDelays_DoubleUpToTheCap()
    {
        var options = new RolloutHostOptions { RetryInitialDelay = TimeSpan.FromSeconds(10), RetryMaximumDelay = TimeSpan.FromMinutes(1) };

        Assert.Equal([10, 20, 40, 60, 60], new[] { 1, 2, 3, 4, 1000 }.Select(n => options.RetryDelay(n).TotalSeconds));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static async Task WaitAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, timeout.Token);
        }
    }

    private DirectoryRolloutStateStore Store() => new(_directory.FullName, _time);

    private (RolloutHost Host, RolloutRegistry Registry, HostTestTraffic Traffic) Create(
        string name = "host",
        Action<RolloutHostOptions>? configure = null,
        IRolloutStateStore? store = null,
        HostTestTraffic? defaultSource = null,
        PolicyCatalog? catalog = null)
    {
        var registry = new RolloutRegistry(catalog ?? HostTestPolicies.Catalog(HostTestPolicies.Web()));
        var options = new RolloutHostOptions { InstanceId = name };
        configure?.Invoke(options);
        var host = new RolloutHost(registry, store ?? Store(), Options.Create(options), _time, defaultSource: defaultSource);
        host.Decided = (rollout, decision) =>
        {
            lock (_decisions)
            {
                _decisions.Add((name, rollout, decision));
            }
        };
        return (host, registry, new HostTestTraffic(name));
    }

    /// <summary>Runs passes, moving the clock to each next wake-up, until the condition holds (at most 200 passes).</summary>
    private async Task<int> RunUntilAsync(Func<bool> condition, RolloutHost host)
    {
        for (var passes = 1; passes <= 200; passes++)
        {
            var wait = await host.RunPassAsync(CancellationToken.None);
            if (condition())
            {
                return passes;
            }

            _time.Advance(wait);
        }

        throw new TimeoutException("The condition did not hold within 200 passes.");
    }

    /// <summary>Loggers that throw on every line: nothing the host guards against, so its loop dies.</summary>
    private sealed class ThrowingLoggerFactory : ILoggerFactory, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            throw new InvalidOperationException("logging is broken (test)");
    }

    /// <summary>A store of states only (no <see cref="IRolloutLeaseStore"/>): one host, no sharding.</summary>
    private sealed class StateOnlyStore(IRolloutStateStore inner) : IRolloutStateStore
    {
        public Task<StoredRolloutState?> LoadAsync(string rollout, CancellationToken cancellationToken = default) => inner.LoadAsync(rollout, cancellationToken);

        public Task<StoredRolloutState> SaveAsync(string rollout, RolloutState state, string? expectedVersion, CancellationToken cancellationToken = default) =>
            inner.SaveAsync(rollout, state, expectedVersion, cancellationToken);

        public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }

    /// <summary>A store that runs <see cref="BeforeSave"/> before every save (a concurrent writer, a failing disk).</summary>
    private sealed class InterceptingStore(DirectoryRolloutStateStore inner) : IRolloutStateStore, IRolloutLeaseStore
    {
        public DirectoryRolloutStateStore Inner { get; } = inner;

        public Func<Task>? BeforeSave { get; set; }

        public Task<StoredRolloutState?> LoadAsync(string rollout, CancellationToken cancellationToken = default) => Inner.LoadAsync(rollout, cancellationToken);

        public async Task<StoredRolloutState> SaveAsync(string rollout, RolloutState state, string? expectedVersion, CancellationToken cancellationToken = default)
        {
            if (BeforeSave is { } before && Interlocked.Exchange(ref _busy, 1) == 0)
            {
                try
                {
                    await before();
                }
                finally
                {
                    _busy = 0;
                }
            }

            return await Inner.SaveAsync(rollout, state, expectedVersion, cancellationToken);
        }

        public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) => Inner.ListAsync(cancellationToken);

        public Task<RolloutLease> AcquireAsync(string rollout, string owner, TimeSpan duration, CancellationToken cancellationToken = default) => Inner.AcquireAsync(rollout, owner, duration, cancellationToken);

        public Task ReleaseAsync(string rollout, string owner, CancellationToken cancellationToken = default) => Inner.ReleaseAsync(rollout, owner, cancellationToken);

        private int _busy;
    }
}

using System.Collections.Concurrent;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Notifications;
using Canary.Analysis.Policies;
using Canary.Analysis.Simulation;

namespace Canary.Analysis.Tests.Notifications;

/// <summary>A rollout's events reach the notification sinks: one message per decision worth one, none for the looks in between.</summary>
public sealed class RolloutNotifierTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    private static (CanaryRollout Rollout, SimulatedTrafficSource Source) Rollout(double payErrorRate)
    {
        var source = new SimulatedTrafficSource(
            new SimulatedTrafficModel
            {
                Start = Start,
                Profile = TrafficProfile.Flat,
                CanaryWeight = 0.05,
                Endpoints =
                [
                    new SimulatedEndpoint { Name = "/pay", RequestsPerSecond = 2, ErrorRate = 0.005 },
                    new SimulatedEndpoint { Name = "/search", RequestsPerSecond = 60, ErrorRate = 0.005 },
                ],
                Faults = payErrorRate > 0.005 ? [SimulatedFault.Errors(payErrorRate, "/pay")] : [],
            },
            seed: 20261206);
        var check = new SequentialErrorRateCheck(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(1),
            new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/pay"] = 0.6, ["/search"] = 0.4 }, MinimumRequestsPerEndpoint = 30 });
        return (new CanaryRollout(CanaryPolicies.FailFastThenSoak(_ => new Dictionary<string, IAnalysisCheck> { ["error-rate"] = check }), Start), source);
    }

    [Fact]
    public async Task AFailingCanary_SendsOneRollbackMessage_NamingTheDecidingEndpoint()
    {
        var sink = new RecordingSink();
        await using var dispatcher = new NotificationDispatcher([sink]);
        var (rollout, _) = Rollout(payErrorRate: 0.25);
        using var subscription = rollout.Subscribe(new RolloutNotifier(dispatcher, new NotificationContext { Rollout = "checkout", Namespace = "shop" }));

        RolloutDecision decision;
        var now = Start;
        do
        {
            decision = await rollout.TickUntilSettledAsync(now);
            now += TimeSpan.FromMinutes(1);
        }
        while (decision.Action != RolloutAction.Rollback && now < Start + TimeSpan.FromMinutes(20));
        await dispatcher.FlushAsync();

        Assert.Equal(RolloutAction.Rollback, decision.Action);
        var message = Assert.Single(sink.Received);
        Assert.Equal(RolloutNotificationKind.RolledBack, message.Kind);
        Assert.Equal(("checkout", "shop", "/pay"), (message.Rollout, message.Namespace, message.Endpoint?.Name));
    }

    [Fact]
    public async Task AHumanCommand_SendsOneMessage_WithWhoAndWhy_AndTheLooksSendNone()
    {
        var sink = new RecordingSink();
        await using var dispatcher = new NotificationDispatcher([sink]);
        var (rollout, _) = Rollout(payErrorRate: 0.005);
        using var subscription = rollout.Subscribe(new RolloutNotifier(dispatcher, new NotificationContext { Rollout = "checkout" }));

        for (var minute = 0; minute < 5; minute++)
        {
            await rollout.TickUntilSettledAsync(Start + TimeSpan.FromMinutes(minute));
        }

        await dispatcher.FlushAsync();
        Assert.Empty(sink.Received);

        rollout.Apply(ManualAction.SkipAnalysis, "alice", "urgent fix: CVE-2026-1234", Start + TimeSpan.FromMinutes(5));
        await dispatcher.FlushAsync();

        var message = Assert.Single(sink.Received);
        Assert.Equal(RolloutNotificationKind.ManualOverride, message.Kind);
        Assert.Equal(("alice", "urgent fix: CVE-2026-1234"), (message.Command?.By, message.Command?.Reason));
    }

    private sealed class RecordingSink : INotificationSink
    {
        private readonly ConcurrentQueue<RolloutNotification> _received = new();

        public string Name => "recording";

        public IReadOnlyList<RolloutNotification> Received => [.. _received];

        public Task SendAsync(RolloutNotification notification, CancellationToken cancellationToken = default)
        {
            _received.Enqueue(notification);
            return Task.CompletedTask;
        }
    }
}

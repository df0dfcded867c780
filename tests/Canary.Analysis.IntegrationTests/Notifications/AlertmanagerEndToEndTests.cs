using System.Text.Json.Nodes;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Notifications;
using Canary.Analysis.Policies;

namespace Canary.Analysis.IntegrationTests.Notifications;

/// <summary>
/// A rollback notified through the Alertmanager sink to a real Alertmanager, which routes it to a loopback webhook receiver;
/// the promotion that follows resolves the same alert.
/// </summary>
public sealed class AlertmanagerEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly NotificationContext Context = new()
    {
        Rollout = "checkout",
        Namespace = "shop",
        DashboardUrlTemplate = "https://grafana.example.com/d/canary-rollouts?var-rollout={rollout}&var-namespace={namespace}&from={from}&to={to}",
    };

    [AlertmanagerFact]
    public async Task RollbackFiresAndPromotionResolves_ThroughARealAlertmanager()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var alertmanager = await AlertmanagerServer.StartAsync($"""
            route:
              receiver: canary
              group_by: ['alertname', 'rollout', 'namespace']
              group_wait: 200ms
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: canary
                webhook_configs:
                  - url: {new Uri(receiver.Address, "alertmanager")}
                    send_resolved: true
            """);
        using var sink = new AlertmanagerSink(alertmanager.Address) { Labels = new Dictionary<string, string> { ["severity"] = "page" } };
        await using var dispatcher = new NotificationDispatcher([sink], new NotificationDispatcherOptions { InitialBackoff = TimeSpan.FromMilliseconds(100) });
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        // A real rollout that fails on /api/pay, ten minutes ago.
        var rolledBack = await RunAsync(new CanaryRollout(Policy(PayFailing()), now - TimeSpan.FromMinutes(10)), now - TimeSpan.FromMinutes(10));
        Assert.Equal(RolloutAction.Rollback, rolledBack.Action);
        Assert.True(dispatcher.Publish(rolledBack, Context));
        await dispatcher.FlushAsync().WaitAsync(Patience);
        Assert.Equal(1, dispatcher.Delivered);

        var firing = JsonNode.Parse(await receiver.NextAsync(b => (string?)JsonNode.Parse(b)!["status"] == "firing", Patience))!;
        var alert = firing["alerts"]![0]!;
        Assert.Equal("CanaryRolloutUnhealthy", (string?)alert["labels"]!["alertname"]);
        Assert.Equal("checkout", (string?)alert["labels"]!["rollout"]);
        Assert.Equal("shop", (string?)alert["labels"]!["namespace"]);
        Assert.Equal("page", (string?)alert["labels"]!["severity"]);
        Assert.Equal("/api/pay", (string?)alert["annotations"]!["endpoint"]);
        Assert.Equal("0.912", (string?)alert["annotations"]!["value"]);
        Assert.Equal("0.95", (string?)alert["annotations"]!["limit"]);
        Assert.Equal("412", (string?)alert["annotations"]!["requests"]);
        Assert.Equal("/api/pay: 91.2 % against the limit 95 % (n=412)", (string?)alert["annotations"]!["finding"]);
        Assert.Equal("shop/checkout rolled back at step 2 (5 %): analysis failed", (string?)alert["annotations"]!["summary"]);
        Assert.Equal(rolledBack.Reason, (string?)alert["annotations"]!["description"]);
        Assert.StartsWith("https://grafana.example.com/d/canary-rollouts?var-rollout=checkout&var-namespace=shop&from=", (string?)alert["generatorURL"], StringComparison.Ordinal);

        // The rollout is retried and a human promotes it: the same alert resolves.
        var retried = new CanaryRollout(Policy(Passing()), now - TimeSpan.FromMinutes(2));
        await retried.TickAsync(now - TimeSpan.FromMinutes(2));
        var promoted = retried.Apply(ManualAction.Promote, "bob", "fixed in 1.4.2", now);
        Assert.True(dispatcher.Publish(promoted, Context));
        await dispatcher.FlushAsync().WaitAsync(Patience);

        var resolved = JsonNode.Parse(await receiver.NextAsync(b => (string?)JsonNode.Parse(b)!["status"] == "resolved", Patience))!;
        var resolvedAlert = resolved["alerts"]![0]!;
        Assert.Equal("resolved", (string?)resolvedAlert["status"]);
        Assert.True(JsonNode.DeepEquals(alert["labels"], resolvedAlert["labels"]), "the promotion must resolve the rollback's alert");
        Assert.Equal(now, resolvedAlert["endsAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(2, dispatcher.Delivered);
    }

    private static CheckResult PayFailing() => new(
        SuccessRateEvaluator.CheckName, Verdict.Fail, 0.9627, 0.95, "/api/pay: 91.2 % < 95 % (n=412)",
        [
            new EndpointResult("/api/search", EndpointStatus.Judged, 5230, 5224, 0.99885, 0.6, 0.59931, 0.95),
            new EndpointResult("/api/pay", EndpointStatus.LimitBreached, 412, 375.744, 0.912, 0.4, 0.3648, 0.95),
        ]);

    private static CheckResult Passing() => new(
        SuccessRateEvaluator.CheckName, Verdict.Pass, 0.9991, 0.95, "ok",
        [new EndpointResult("/api/pay", EndpointStatus.Judged, 4000, 3996, 0.999, 1, 0.999, 0.95)]);

    private static CanaryPolicy Policy(CheckResult result) => new("checkout-policy",
    [
        CanaryStep.SetWeight(5),
        CanaryStep.FailFastAnalysis("fail-fast", new AnalysisMetric { Name = "success-rate", Check = new FixedCheck(result), Interval = TimeSpan.FromMinutes(1), Count = 3 }),
        CanaryStep.SetWeight(50),
        CanaryStep.PauseUntilResumed(),
    ]);

    private static async Task<RolloutDecision> RunAsync(CanaryRollout rollout, DateTimeOffset start)
    {
        var now = start;
        for (var i = 0; i < 100; i++)
        {
            var decision = await rollout.TickAsync(now);
            if (decision.Action is RolloutAction.Promote or RolloutAction.Rollback or RolloutAction.Pause)
            {
                return decision;
            }

            now = decision.NextTickAt is { } next && next > now ? next : now + TimeSpan.FromMinutes(1);
        }

        throw new InvalidOperationException("the rollout did not settle");
    }

    private sealed class FixedCheck(CheckResult result) : IAnalysisCheck
    {
        public Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult(result);
    }
}

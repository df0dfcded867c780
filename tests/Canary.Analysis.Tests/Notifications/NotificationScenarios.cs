using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Notifications;
using Canary.Analysis.Policies;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Notifications;

/// <summary>Real decisions of real rollouts (a check that answers a fixed result), and their notifications.</summary>
internal static class NotificationScenarios
{
    public static readonly DateTimeOffset Start = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    public static readonly NotificationContext Context = new()
    {
        Rollout = "checkout",
        Namespace = "shop",
        DashboardUrlTemplate = "https://grafana.example.com/d/canary-rollouts/canary-rollouts?var-rollout={rollout}&var-namespace={namespace}&from={from}&to={to}",
    };

    /// <summary>A weighted success rate that failed on /api/pay: 91.2 % against its 95 % floor on 412 requests.</summary>
    public static CheckResult PayFailing() => new(
        SuccessRateEvaluator.CheckName,
        Verdict.Fail,
        0.9627,
        0.95,
        "/api/pay: 91.2 % < 95 % (n=412)",
        [
            new EndpointResult("/api/search", EndpointStatus.Judged, 5230, 5224, 0.99885, 0.6, 0.59931, 0.95),
            new EndpointResult("/api/pay", EndpointStatus.LimitBreached, 412, 375.744, 0.912, 0.4, 0.3648, 0.95),
            new EndpointResult("/health", EndpointStatus.Excluded, 900, 900, 1, 0, double.NaN, null),
        ]);

    /// <summary>The rare endpoint has too few requests to judge.</summary>
    public static CheckResult RareShort() => new(
        SuccessRateEvaluator.CheckName,
        Verdict.Inconclusive,
        double.NaN,
        0.95,
        "Not enough evidence: /api/rare (n=3, needs 50).",
        [
            new EndpointResult("/api/search", EndpointStatus.Judged, 5230, 5224, 0.99885, 0.7, 0.69919, 0.95),
            new EndpointResult("/api/rare", EndpointStatus.Insufficient, 3, 3, 1, 0.3, double.NaN, 0.95),
        ]);

    public static CheckResult Passing() => new(
        SuccessRateEvaluator.CheckName,
        Verdict.Pass,
        0.9991,
        0.95,
        "Weighted success rate 99.91 % ≥ 95 %.",
        [new EndpointResult("/api/pay", EndpointStatus.Judged, 4000, 3996, 0.999, 1, 0.999, 0.95)]);

    /// <summary>
    /// The sequential error-rate check's real result once /api/pay fails it: a minute's 20 canary requests there with 5 errors
    /// against the baseline's 380 with 2, while /api/search is healthy; looked at every minute until it fails.
    /// </summary>
    public static CheckResult PaySequentialFailing()
    {
        var evaluator = new SequentialErrorRateEvaluator(new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/api/pay"] = 0.4, ["/api/search"] = 0.6 } });
        var minute = TimeSpan.FromMinutes(1);
        for (var end = Start + minute; ; end += minute)
        {
            var result = evaluator.Add(
                new TrafficSnapshot(end, minute, [new EndpointTraffic("/api/pay", 20, 15), new EndpointTraffic("/api/search", 120, 119)]),
                new TrafficSnapshot(end, minute, [new EndpointTraffic("/api/pay", 380, 378), new EndpointTraffic("/api/search", 2280, 2269)]),
                end - minute,
                end);
            if (result.Verdict == Verdict.Fail)
            {
                return result;
            }
        }
    }

    public static CanaryPolicy Policy(IAnalysisCheck check, string metric = "success-rate") => new("checkout-policy",
    [
        CanaryStep.SetWeight(5),
        CanaryStep.FailFastAnalysis("fail-fast", new AnalysisMetric { Name = metric, Check = check, Interval = TimeSpan.FromMinutes(1), Count = 3 }),
        CanaryStep.SetWeight(50),
        CanaryStep.PauseUntilResumed(),
    ]);

    /// <summary>Ticks a rollout whenever it asks until it rolls back, promotes or pauses; returns every decision.</summary>
    public static async Task<List<RolloutDecision>> RunAsync(CanaryRollout rollout, DateTimeOffset? from = null)
    {
        var decisions = new List<RolloutDecision>();
        var now = from ?? Start;
        for (var i = 0; i < 100; i++)
        {
            var decision = await rollout.TickAsync(now);
            decisions.Add(decision);
            if (decision.Action is RolloutAction.Promote or RolloutAction.Rollback or RolloutAction.Pause)
            {
                break;
            }

            now = decision.NextTickAt is { } next && next > now ? next : now + TimeSpan.FromMinutes(1);
        }

        return decisions;
    }

    /// <summary>The decision that rolled a canary back because /api/pay failed its floor.</summary>
    public static async Task<RolloutDecision> RolledBackAsync() => (await RunAsync(new CanaryRollout(Policy(new FixedCheck(PayFailing())), Start)))[^1];

    public static async Task<RolloutNotification> RolledBackNotificationAsync() =>
        RolloutNotification.FromDecision(await RolledBackAsync(), Context) ?? throw new InvalidOperationException("no notification");

    /// <summary>The notification of the rollback the sequential error-rate check decided (<see cref="PaySequentialFailing"/>).</summary>
    public static async Task<RolloutNotification> SequentialRolledBackNotificationAsync() =>
        RolloutNotification.FromDecision((await RunAsync(new CanaryRollout(Policy(new FixedCheck(PaySequentialFailing()), "error-rate"), Start)))[^1], Context)
        ?? throw new InvalidOperationException("no notification");

    /// <summary>A check that answers the same result every time, or throws <paramref name="error"/>.</summary>
    public sealed class FixedCheck(CheckResult? result, string error = "provider down: 503 from prometheus") : IAnalysisCheck
    {
        public Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
            result is null ? throw new InvalidOperationException(error) : Task.FromResult(result);
    }
}

using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Reports;

namespace Canary.Analysis.Tests.Reports;

/// <summary>Rollouts and results to report on: real decisions from a real <see cref="CanaryRollout"/>, checks answering from a script.</summary>
internal static class ReportFixtures
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A label written to break every format it is put in: HTML, a remote image, Markdown tables and code, XML control characters.</summary>
    public const string HostileLabel = "/api/<script>alert(1)</script>|`x` & \"q\" 'a' <img src=http://127.0.0.1:9/x.png> @team *b* [l](http://127.0.0.1:9/) \u0001\nnext";

    public static EndpointResult Row(string endpoint, EndpointStatus status, double value, double baseline = double.NaN, double requests = 100, double limit = double.NaN) =>
        new(endpoint, status, requests, Math.Round(requests * (double.IsNaN(value) ? 0 : value)), value, 0.25, value * 0.25, double.IsNaN(limit) ? null : limit, baseline);

    /// <summary>The sequential error-rate check's real result failing on /api/pay (rates in its rows, its e-value against its boundary).</summary>
    public static CheckResult Sequential() => Notifications.NotificationScenarios.PaySequentialFailing();

    public static CheckResult Pass(params EndpointResult[] rows) => new("success-rate", Verdict.Pass, 0.99, 0.95, "Weighted success rate 99 % ≥ 95 %.", rows);

    public static CheckResult Fail(params EndpointResult[] rows) => new("success-rate", Verdict.Fail, 0.80, 0.95, "/api/pay: 75 % < 95 % (n=20)", rows);

    public static CheckResult Inconclusive(params EndpointResult[] rows) => new("success-rate", Verdict.Inconclusive, double.NaN, 0.95, "Not enough evidence: /api/pay (n=3, needs 50).", rows);

    /// <summary>The rows of a typical look: a busy endpoint judged, a rare one short of data.</summary>
    public static EndpointResult[] Rows(double payRate = 0.99) =>
    [
        Row("/api/search", EndpointStatus.Judged, 0.995, 0.996, 900),
        Row("/api/pay", payRate < 0.9 ? EndpointStatus.LimitBreached : EndpointStatus.Judged, payRate, 0.995, 60, 0.9),
        Row("/api/cart", EndpointStatus.Insufficient, 1, 0.99, 4),
        Row("/health", EndpointStatus.Excluded, 1, 1, 30),
    ];

    /// <summary>
    /// Runs a two-step policy (5 % with three looks a minute apart, then 50 % with three more, 4 replicas) whose check answers
    /// from <paramref name="script"/> (null: the provider throws), and returns every decision in order.
    /// </summary>
    public static async Task<List<RolloutDecision>> RunAsync(IReadOnlyList<CheckResult?> script, int historyLimit = 10, Func<CanaryRollout, DateTimeOffset, RolloutDecision?>? command = null)
    {
        var check = new ScriptCheck(script);
        AnalysisMetric Metric() => new()
        {
            Name = "success-rate",
            Check = check,
            InitialDelay = TimeSpan.FromMinutes(1),
            Interval = TimeSpan.FromMinutes(1),
            Count = 3,
            FailureLimit = 0,
            InconclusiveLimit = 2,
            ConsecutiveErrorLimit = 1,
            ErrorRetryInterval = TimeSpan.FromMinutes(1),
            HistoryLimit = historyLimit,
        };
        var policy = new CanaryPolicy("checkout", [
            CanaryStep.SetWeight(5),
            CanaryStep.Analysis("fail-fast", Metric()),
            CanaryStep.SetWeight(50),
            CanaryStep.Analysis("soak", Metric()),
        ])
        { Replicas = 4 };
        var rollout = new CanaryRollout(policy, Start);
        var decisions = new List<RolloutDecision>();
        for (var now = Start; now <= Start + TimeSpan.FromMinutes(30); now += TimeSpan.FromMinutes(1))
        {
            if (command?.Invoke(rollout, now) is { } commanded)
            {
                decisions.Add(commanded);
                if (commanded.Action is RolloutAction.Promote or RolloutAction.Rollback)
                {
                    break;
                }
            }

            var decision = await rollout.TickUntilSettledAsync(now, decisions.Add);
            if (decision.Action is RolloutAction.Promote or RolloutAction.Rollback or RolloutAction.Pause)
            {
                break;
            }
        }

        return decisions;
    }

    public static CanaryReport Report(IReadOnlyList<RolloutDecision> decisions) => CanaryReport.FromDecisions(decisions);

    /// <summary>A check answering from a script, the last answer repeating; null throws as a provider error would.</summary>
    private sealed class ScriptCheck(IReadOnlyList<CheckResult?> script) : IAnalysisCheck
    {
        private int _calls;

        public Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            var result = script[Math.Min(_calls++, script.Count - 1)];
            return result is null ? throw new HttpRequestException("prometheus: connection refused") : Task.FromResult(result);
        }
    }
}

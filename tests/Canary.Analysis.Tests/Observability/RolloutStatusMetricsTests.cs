using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Observability;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.TestSupport;
using static Canary.Analysis.Tests.Policies.Events.RolloutEventsTests;
using static Canary.Analysis.Tests.TestSupport.Exposition;

namespace Canary.Analysis.Tests.Observability;

public sealed class RolloutStatusMetricsTests
{
    private static readonly (string, string) Rollout = ("rollout", "checkout");
    private static readonly (string, string) Namespace = ("namespace", "shop");

    /// <summary>Weight 5 %, then a look that times out, one inconclusive look short of data on /rare, then one that passes.</summary>
    private static CanaryRollout Rollout3Looks(int? replicas = null)
    {
        var metric = new AnalysisMetric
        {
            Name = "success-rate",
            Interval = Minute,
            Count = 5,
            InconclusiveLimit = 3,
            Check = new ResultCheck(look => look switch
            {
                0 => throw new MetricQueryException("up", MetricQueryErrorKind.Timeout, "no answer"),
                1 => Result(Verdict.Inconclusive, 0.2, TimeSpan.FromMinutes(130), Rows(EndpointStatus.Judged, EndpointStatus.Insufficient)),
                _ => Result(Verdict.Pass, 0.99),
            }),
        };
        return new CanaryRollout(Policy(metric, replicas), Start);
    }

    [Fact]
    public async Task SimulatedRun_ExportsPhaseStepWeightsChecksEvidenceEndpointsTimeNeededAndCounters_PromtoolClean()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new RolloutStatusMetrics(registry) { MaxEndpoints = 2 };
        var rollout = Rollout3Looks(replicas: 4);
        metrics.Track(rollout, "shop");

        await rollout.TickAsync(Start);
        await rollout.TickAsync(Start);
        await rollout.TickAsync(Start + Minute);
        var text = await TextAsync(registry);

        var (exitCode, said) = await PromtoolCheckAsync(text);
        Assert.True(exitCode == 0 && said.Trim().Length == 0, $"promtool check metrics: exit {exitCode}: {said}\n{text}");
        Assert.Equal(1, Value(text, "canary_rollout_phase", Rollout, Namespace, ("phase", "progressing")));
        Assert.Equal(0, Value(text, "canary_rollout_phase", Rollout, Namespace, ("phase", "paused")));
        Assert.Equal(1, Value(text, "canary_rollout_step", Rollout, Namespace));
        Assert.Equal(5, Value(text, "canary_rollout_weight_percent", Rollout, ("kind", "requested")));
        Assert.Equal(ReplicaSplit.ForWeight(4, 5).EffectiveWeight, Value(text, "canary_rollout_weight_percent", Rollout, ("kind", "effective")));
        var check = new[] { Rollout, Namespace, ("analysis", "step"), ("check", "success-rate") };
        Assert.Equal(1, Value(text, "canary_check_verdict", [.. check, ("verdict", "inconclusive")]));
        Assert.Equal(0, Value(text, "canary_check_verdict", [.. check, ("verdict", "error")]));
        Assert.Equal(0.2, Value(text, "canary_check_value", check));
        Assert.Equal(0.95, Value(text, "canary_check_threshold", check));
        Assert.Equal(4, Value(text, "canary_check_evidence", [.. check, ("kind", "e-value")]), 9);
        Assert.Equal(20, Value(text, "canary_check_evidence_boundary", [.. check, ("kind", "e-value")]));
        Assert.Equal(0.91, Value(text, "canary_endpoint_value", [.. check, ("endpoint", "/pay")]));
        Assert.Equal(0.95, Value(text, "canary_endpoint_limit", [.. check, ("endpoint", "/pay")]));
        Assert.Equal(900, Value(text, "canary_endpoint_requests", [.. check, ("endpoint", "/search")]));
        Assert.Equal(0.2, Value(text, "canary_endpoint_weight", [.. check, ("endpoint", "/search")]));
        Assert.DoesNotContain(Samples(text), s => s.Labels.GetValueOrDefault("endpoint") == "/rare");
        Assert.DoesNotContain(Samples(text), s => s.Name.StartsWith("canary_endpoint_evidence", StringComparison.Ordinal)); // no per-endpoint evidence
        Assert.Equal(130 * 60, Value(text, "canary_evidence_time_needed_seconds", Rollout, Namespace));
        Assert.Equal(1, Value(text, "canary_decisions_total", Rollout, ("action", "advance")));
        Assert.Equal(2, Value(text, "canary_decisions_total", Rollout, ("action", "continue")));
        Assert.Equal(1, Value(text, "canary_provider_errors_total", Rollout, ("kind", "timeout")));
        Assert.Equal(0, Value(text, "canary_provider_errors_total", Rollout, ("kind", "other")));
        Assert.Equal(0, Value(text, "canary_manual_overrides_total", Rollout, ("action", "abort")));
        Assert.Equal(0, Value(text, "canary_decisions_total", Rollout, ("action", "rollback")));
        Assert.DoesNotContain(Samples(text), s => s.Labels.Keys.Any(k => k.Contains("time", StringComparison.Ordinal)));

        // The next look passes: no time still needed; the verdict moves.
        await rollout.TickAsync(Start + (2 * Minute));
        text = await TextAsync(registry);
        Assert.Equal(1, Value(text, "canary_check_verdict", [.. check, ("verdict", "successful")]));
        Assert.DoesNotContain(Samples(text), s => s.Name == "canary_evidence_time_needed_seconds");
    }

    [Fact]
    public async Task SequentialCheck_EndpointRatesWithoutLimit_AndTheirEvidenceAgainstItsBoundary_PromtoolClean()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new RolloutStatusMetrics(registry) { RemoveWhenEnded = false };
        var result = Notifications.NotificationScenarios.PaySequentialFailing();
        var rollout = new CanaryRollout(Policy(new AnalysisMetric { Name = "error-rate", Interval = Minute, Count = 5, Check = new ResultCheck(_ => result) }), Start);
        metrics.Track(rollout, "shop");

        await rollout.TickAsync(Start);
        await rollout.TickAsync(Start);
        var text = await TextAsync(registry);

        var (exitCode, said) = await PromtoolCheckAsync(text);
        Assert.True(exitCode == 0 && said.Trim().Length == 0, $"promtool check metrics: exit {exitCode}: {said}\n{text}");
        var pay = new[] { Rollout, Namespace, ("analysis", "step"), ("check", "error-rate"), ("endpoint", "/api/pay") };
        var row = result.Endpoints.Single(e => e.Endpoint == "/api/pay");

        // The value is a success rate, with no limit series (the check compares it with the baseline's, not with a rate);
        // the e-value and its boundary are series of their own, and the evidence reached the boundary.
        Assert.Equal(0.75, Value(text, "canary_endpoint_value", pay));
        Assert.DoesNotContain(Samples(text), s => s.Name == "canary_endpoint_limit");
        Assert.Equal(row.EvidenceValue, Value(text, "canary_endpoint_evidence", [.. pay, ("kind", "e-value")]), 9);
        Assert.Equal(row.EvidenceBoundary, Value(text, "canary_endpoint_evidence_boundary", [.. pay, ("kind", "e-value")]), 9);
        Assert.True(Value(text, "canary_endpoint_evidence", [.. pay, ("kind", "e-value")]) >= Value(text, "canary_endpoint_evidence_boundary", [.. pay, ("kind", "e-value")]));
        Assert.Equal(2, Samples(text).Count(s => s.Name == "canary_endpoint_evidence_boundary"));
    }

    [Fact]
    public async Task EndedRollout_ItsSeriesAreRemoved_OthersStay_UnlessKeptForAFinalExport()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new RolloutStatusMetrics(registry);
        var kept = new RolloutStatusMetrics(registry) { RemoveWhenEnded = false };
        var ending = Rollout3Looks();
        var running = Rollout3Looks();
        var final = Rollout3Looks();
        metrics.Track(ending, "shop");
        metrics.Track(running, "other");
        kept.Track(final, "final");

        foreach (var rollout in new[] { ending, running, final })
        {
            await rollout.TickAsync(Start);
            await rollout.TickAsync(Start);
        }

        ending.Apply(ManualAction.Promote, "alice", "hotfix", Start + Minute);
        final.Apply(ManualAction.Promote, "alice", "hotfix", Start + Minute);
        var text = await TextAsync(registry);

        Assert.DoesNotContain(Samples(text), s => s.Labels.GetValueOrDefault("namespace") == "shop");
        Assert.Equal(1, Value(text, "canary_rollout_phase", Rollout, ("namespace", "other"), ("phase", "progressing")));
        Assert.Equal(1, Value(text, "canary_rollout_phase", Rollout, ("namespace", "final"), ("phase", "promoted")));
        Assert.Equal(100, Value(text, "canary_rollout_weight_percent", Rollout, ("namespace", "final"), ("kind", "requested")));
        Assert.Equal(1, Value(text, "canary_manual_overrides_total", Rollout, ("namespace", "final"), ("action", "promote")));
        Assert.Equal(0, (await PromtoolCheckAsync(text)).ExitCode);
    }

    [Fact]
    public async Task RolloutsOfOnePolicy_TrackedByName_KeepTheirSeriesApart()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new RolloutStatusMetrics(registry);
        var (first, second) = (Rollout3Looks(), Rollout3Looks());
        metrics.Track(first, "shop", "checkout-41");
        metrics.Track(second, "shop", "checkout-42");

        await first.TickAsync(Start);
        await second.TickAsync(Start);
        second.Apply(ManualAction.Promote, "alice", "hotfix", Start + Minute);
        var text = await TextAsync(registry);

        // The first is still at its weight; the second's series went with its end; neither is labelled by the policy's name.
        Assert.Equal(5, Value(text, "canary_rollout_weight_percent", ("rollout", "checkout-41"), Namespace, ("kind", "requested")));
        Assert.DoesNotContain(Samples(text), s => s.Labels.GetValueOrDefault("rollout") is "checkout-42" or "checkout");
        Assert.Throws<ArgumentNullException>(() => metrics.Track(first, "shop", null!));
        Assert.Equal(0, (await PromtoolCheckAsync(text)).ExitCode);
    }

    [Fact]
    public async Task DisposedTracking_RemovesTheSeries_AndFollowsNoMore()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var rollout = Rollout3Looks();
        var tracking = new RolloutStatusMetrics(registry).Track(rollout, "shop");
        await rollout.TickAsync(Start);
        Assert.Contains(Samples(await TextAsync(registry)), s => s.Name == "canary_rollout_step");

        tracking.Dispose();
        await rollout.TickAsync(Start + Minute);

        Assert.Empty(Samples(await TextAsync(registry)));
    }
}

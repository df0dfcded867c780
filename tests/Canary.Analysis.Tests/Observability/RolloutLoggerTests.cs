using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Observability;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using static Canary.Analysis.Tests.Policies.Events.RolloutEventsTests;

namespace Canary.Analysis.Tests.Observability;

public sealed class RolloutLoggerTests
{
    private static async Task<CapturingLogger> Logged(Func<int, CheckResult> look, Action<CanaryRollout>? then = null, TimeSpan? heartbeat = null)
    {
        var logger = new CapturingLogger();
        var rollout = new CanaryRollout(Policy(Metric(look)), Start) { HeartbeatInterval = heartbeat ?? TimeSpan.Zero };
        rollout.Subscribe(new RolloutLogger(logger));
        await Run(rollout, Start, TimeSpan.FromHours(2));
        then?.Invoke(rollout);
        return logger;
    }

    private static LogEntry Entry(CapturingLogger logger, int id) => Assert.Single(logger.Entries, e => e.EventId.Id == id);

    [Fact]
    public async Task FailedRun_LogsEachEventWithItsIdAndTheDecidingNumbers()
    {
        var logger = await Logged(look => look == 0 ? Result(Verdict.Pass, 0.99) : Result(Verdict.Fail, 0.91, rows: Rows()));

        Assert.Equal([1000, 1002, 1001, 1011, 1011, 1004, 1001, 1005], logger.Entries.Select(e => e.EventId.Id));
        var failed = Entry(logger, 1004);
        Assert.Equal((LogLevel.Error, "RolloutAnalysisFailed"), (failed.Level, failed.EventId.Name));
        Assert.Equal("checkout", failed.State["Rollout"]);
        Assert.Equal(("success-rate", AnalysisPhase.Failed, 5), (failed.State["Check"], failed.State["Phase"], failed.State["Weight"]));
        Assert.Equal((0.91, 0.95, 0.91 * 20, 20.0), (failed.State["Value"], failed.State["Threshold"], failed.State["Evidence"], failed.State["EvidenceBoundary"]));
        Assert.Equal(("/pay", 0.91, 0.95, 412.0), (failed.State["Endpoint"], failed.State["EndpointValue"], failed.State["EndpointLimit"], failed.State["EndpointRequests"]));
        Assert.Equal((0.995, double.NaN, double.NaN), (failed.State["EndpointBaselineValue"], failed.State["EndpointEvidence"], failed.State["EndpointEvidenceBoundary"]));
        var rolledBack = Entry(logger, 1005);
        Assert.Equal((DecisionCause.AnalysisFailed, 5, 2), (rolledBack.State["Cause"], rolledBack.State["FromWeight"], rolledBack.State["Step"]));
        var weight = logger.Entries.First(e => e.EventId.Id == 1001);
        Assert.Equal((0, 5, 0.0, 5.0), (weight.State["FromWeight"], weight.State["ToWeight"], weight.State["FromEffectiveWeight"], weight.State["ToEffectiveWeight"]));
    }

    [Fact]
    public async Task FailedSequentialCheck_LogsTheEndpointsRatesWithoutLimit_AndItsEvidenceAgainstItsBoundary()
    {
        var result = Notifications.NotificationScenarios.PaySequentialFailing();
        var row = result.Endpoints.Single(e => e.Endpoint == "/api/pay");
        var logger = await Logged(_ => result);

        var failed = Entry(logger, 1004);
        Assert.Equal<(object?, object?, object?, object?)>(("/api/pay", 0.75, null, row.BaselineValue), (failed.State["Endpoint"], failed.State["EndpointValue"], failed.State["EndpointLimit"], failed.State["EndpointBaselineValue"]));
        Assert.Equal<(object?, object?)>((row.EvidenceValue, row.EvidenceBoundary), (failed.State["EndpointEvidence"], failed.State["EndpointEvidenceBoundary"]));
        Assert.Contains($"evidence {row.EvidenceValue} against boundary {row.EvidenceBoundary}", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inconclusive_LogsWhatIsMissingAndTheTimeNeeded_InSeconds()
    {
        var logger = await Logged(_ => Result(Verdict.Inconclusive, 0.2, TimeSpan.FromMinutes(130), Rows(EndpointStatus.Judged, EndpointStatus.Insufficient)));

        var paused = Entry(logger, 1003);
        Assert.Equal((LogLevel.Warning, "success-rate", 1, 7800.0), (paused.Level, paused.State["Check"], paused.State["EndpointsShortOfData"], paused.State["TimeNeededSeconds"]));
    }

    [Fact]
    public async Task ProviderError_LogsTheKindAndMetric_NeverTheMessage()
    {
        const string secret = "api_key=s3cr3t";
        var logger = await Logged(look => look == 0 ? throw new MetricQueryException($"up?{secret}", MetricQueryErrorKind.Unauthorized, $"401 for {secret}") : Result(Verdict.Pass, 0.99));

        var error = Entry(logger, 1008);
        Assert.Equal(("success-rate", MetricQueryErrorKind.Unauthorized, 1), (error.State["Metric"], error.State["ErrorKind"], error.State["ConsecutiveErrors"]));
        Assert.All(logger.Entries, e => Assert.DoesNotContain(secret, e.Message, StringComparison.Ordinal));
        Assert.All(logger.Entries, e => Assert.DoesNotContain(e.State.Values, v => v?.ToString()?.Contains(secret, StringComparison.Ordinal) == true));
        Assert.Equal(1006, logger.Entries[^1].EventId.Id);
    }

    [Fact]
    public async Task ManualOverrideAndHeartbeat_AreLogged_WithWhoWhyAndTheSoak()
    {
        var logger = new CapturingLogger();
        var rollout = new CanaryRollout(new CanaryPolicy("soak", [CanaryStep.SetWeight(5), CanaryStep.Pause(TimeSpan.FromHours(2))]), Start) { HeartbeatInterval = TimeSpan.FromMinutes(45) };
        rollout.Subscribe(new RolloutLogger(logger));
        await Run(rollout, Start, TimeSpan.FromMinutes(50));
        rollout.Apply(ManualAction.Promote, "alice", "hotfix for INC-42", Start + TimeSpan.FromMinutes(51));

        var beat = Entry(logger, 1009);
        Assert.Equal((2, 45 * 60.0, 5, RolloutAction.Continue, (double?)null), (beat.State["Step"], beat.State["InStepSeconds"], beat.State["Weight"], beat.State["Action"], (double?)beat.State["TimeNeededSeconds"]));
        var command = Entry(logger, 1007);
        Assert.Equal((ManualAction.Promote, "alice", "hotfix for INC-42", 2), (command.State["Action"], command.State["By"], command.State["Reason"], command.State["Step"]));
        Assert.Equal(DecisionCause.ManualPromote, Entry(logger, 1006).State["Cause"]);
    }
}

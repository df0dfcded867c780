using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace Canary.Analysis.Tests.Analysis;

/// <summary>An <see cref="AnalysisRun"/> used on its own logs its measurements and its completion (event ids 1200–1202).</summary>
public sealed class AnalysisRunLoggingTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static AnalysisMetric Metric(IAnalysisCheck check) => new() { Name = "error-rate", Check = check, Interval = Minute, Count = 2 };

    [Fact]
    public async Task FailedRun_LogsEachMeasurement_ThenItsCompletionWithTheDecidingEndpointsRatesAndEvidence()
    {
        var result = Notifications.NotificationScenarios.PaySequentialFailing();
        var row = result.Endpoints.Single(e => e.Endpoint == "/api/pay");
        var logger = new CapturingLogger();
        var run = new AnalysisRun([Metric(new ResultCheck(_ => result))], Start) { Logger = logger };

        Assert.Equal(AnalysisPhase.Failed, await run.TickAsync(Start));
        await run.TickAsync(Start + Minute); // completed: nothing more is logged

        Assert.Equal([1200, 1202], logger.Entries.Select(e => e.EventId.Id));
        var measured = logger.Entries[0];
        Assert.Equal((LogLevel.Debug, "AnalysisMeasured", "error-rate", MeasurementPhase.Failed), (measured.Level, measured.EventId.Name, measured.State["Metric"], measured.State["MeasurementPhase"]));
        Assert.Equal<(object?, object?)>((result.EvidenceValue, result.EvidenceBoundary), (measured.State["Evidence"], measured.State["EvidenceBoundary"]));
        var completed = logger.Entries[1];
        Assert.Equal((LogLevel.Error, "AnalysisCompleted", AnalysisPhase.Failed, "error-rate"), (completed.Level, completed.EventId.Name, completed.State["Phase"], completed.State["Check"]));
        Assert.Equal<(object?, object?, object?, object?)>(("/api/pay", 0.75, null, row.BaselineValue), (completed.State["Endpoint"], completed.State["EndpointValue"], completed.State["EndpointLimit"], completed.State["EndpointBaselineValue"]));
        Assert.Equal<(object?, object?)>((row.EvidenceValue, row.EvidenceBoundary), (completed.State["EndpointEvidence"], completed.State["EndpointEvidenceBoundary"]));
    }

    [Fact]
    public async Task ProviderError_IsLoggedByItsKind_NeverItsMessage_AndASuccessfulRunAtInformation()
    {
        var logger = new CapturingLogger();
        var looks = 0;
        var check = new ThrowingOnceCheck(() => looks++ == 0
            ? throw new MetricQueryException("up", MetricQueryErrorKind.Unauthorized, "401 from https://user:hunter2@prometheus.example/")
            : new CheckResult("success-rate", Verdict.Pass, 0.99, 0.95, "ok", []));
        var run = new AnalysisRun([Metric(check)], Start) { Logger = logger };

        await run.TickAsync(Start);
        await run.TickAsync(Start + Minute);
        await run.TickAsync(Start + (2 * Minute));
        await run.TickAsync(Start + (3 * Minute));

        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.Equal([1201, 1200, 1200, 1202], logger.Entries.Select(e => e.EventId.Id));
        var error = logger.Entries[0];
        Assert.Equal((LogLevel.Warning, MetricQueryErrorKind.Unauthorized, 1), (error.Level, error.State["ErrorKind"], error.State["ConsecutiveErrors"]));
        Assert.DoesNotContain(logger.Entries, e => e.Message.Contains("hunter2", StringComparison.Ordinal));
        Assert.Equal((LogLevel.Information, AnalysisPhase.Successful), (logger.Entries[^1].Level, logger.Entries[^1].State["Phase"]));
        Assert.Null(logger.Entries[^1].State["Endpoint"]);
    }

    private sealed class ThrowingOnceCheck(Func<CheckResult> look) : IAnalysisCheck
    {
        public Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult(look());
    }
}

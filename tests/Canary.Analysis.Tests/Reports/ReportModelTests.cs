using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Reports;
using static Canary.Analysis.Tests.Reports.ReportFixtures;

namespace Canary.Analysis.Tests.Reports;

public sealed class ReportModelTests
{
    [Fact]
    public async Task FailedRollout_IsReportedFromItsDecisions_WithEveryLookTheWeightsAndTheLastRows()
    {
        var decisions = await RunAsync([Inconclusive(Rows()), Pass(Rows()), Fail(Rows(payRate: 0.75))]);
        var report = Report(decisions);

        Assert.Equal(ReportKind.Rollout, report.Kind);
        Assert.Equal("checkout", report.Name);
        Assert.Equal(ReportStatus.Failed, report.Status);
        Assert.Equal(RolloutAction.Rollback, report.Action);
        Assert.Equal(DecisionCause.AnalysisFailed, report.Cause);
        Assert.Equal(decisions[^1].Reason, report.Reason);
        Assert.Equal(Start + TimeSpan.FromMinutes(3), report.GeneratedAt);

        var check = Assert.Single(report.Checks);
        Assert.Equal(("success-rate", "fail-fast", ReportStatus.Failed), (check.Name, check.Step, check.Status));
        Assert.Equal([MeasurementPhase.Inconclusive, MeasurementPhase.Successful, MeasurementPhase.Failed], check.History.Select(p => p.Phase));
        Assert.Equal([1, 2, 3], check.History.Select(p => (p.At - Start).TotalMinutes));
        Assert.All(check.History, p => Assert.Equal(0.95, p.Threshold));
        Assert.True(double.IsNaN(check.History[0].Value));
        Assert.Equal((0.80, 0.95), (check.Value, check.Threshold));
        Assert.Equal("/api/pay: 75 % < 95 % (n=20)", check.Reason);
        Assert.Equal(EndpointStatus.LimitBreached, check.Endpoints.Single(e => e.Endpoint == "/api/pay").Status);
        Assert.Equal(0.75, check.Endpoints.Single(e => e.Endpoint == "/api/pay").Value);

        // 5 % asked, 20 % got with 4 replicas (1 canary pod of 5), then 0 after the rollback.
        Assert.Equal([(0, 5, 20.0), (3, 0, 0.0)], report.Weights.Select(w => ((int)(w.At - Start).TotalMinutes, w.Weight, w.EffectiveWeight)));
        Assert.Equal([RolloutAction.Advance, RolloutAction.Rollback], report.Weights.Select(w => w.Action));
    }

    [Fact]
    public async Task PromotedRollout_ReportsEachStepsAnalysis_InOrder()
    {
        var report = Report(await RunAsync([Pass(Rows())]));

        Assert.Equal(ReportStatus.Passed, report.Status);
        Assert.Equal(["fail-fast", "soak"], report.Checks.Select(c => c.Step));
        Assert.All(report.Checks, c => Assert.Equal((ReportStatus.Passed, 3), (c.Status, c.History.Count)));
        Assert.Equal([5, 50, 100], report.Weights.Select(w => w.Weight));
        Assert.Equal(100, report.Weight);
    }

    [Fact]
    public async Task Builder_KeepsEveryLook_BeyondTheMetricsHistoryLimit()
    {
        var decisions = await RunAsync([Pass(Rows())], historyLimit: 1);
        Assert.All(decisions.Where(d => d.StepAnalysis is not null).SelectMany(d => d.StepAnalysis!.Metrics), m => Assert.True(m.History.Count <= 1));

        var report = Report(decisions);

        Assert.All(report.Checks, c => Assert.Equal(3, c.History.Count));
    }

    [Fact]
    public async Task LooksReadBackFromASavedState_KeepTheLastKnownThreshold_AndHaveNoRows()
    {
        // A controller that restarted hands out decisions whose looks were read from its saved state: no full results.
        var decisions = await RunAsync([Inconclusive(Rows()), Pass(Rows()), Fail(Rows(payRate: 0.75))]);
        var last = decisions[^1];
        var saved = RolloutState.FromJson(last.State.ToJson());
        var resumed = new RolloutDecision
        {
            Action = last.Action,
            Cause = last.Cause,
            State = saved,
            At = last.At,
            StepIndex = last.StepIndex,
            Step = last.Step,
            Weight = last.Weight,
            StepAnalysis = saved.StepAnalysis ?? FromSaved(last.StepAnalysis!),
        };
        Assert.All(resumed.StepAnalysis!.Metrics.SelectMany(m => m.History), m => Assert.Null(m.Evidence));

        var report = CanaryReport.FromDecisions([.. decisions[..^1], resumed]);

        var check = Assert.Single(report.Checks);
        Assert.Equal(3, check.History.Count);
        Assert.Equal((MeasurementPhase.Failed, 0.80, 0.95), (check.History[^1].Phase, check.History[^1].Value, check.History[^1].Threshold));
        Assert.Empty(check.Endpoints);
        Assert.Equal("/api/pay: 75 % < 95 % (n=20)", check.Reason);
    }

    private static AnalysisRunState FromSaved(AnalysisRunState run) => run with
    {
        Metrics = [.. run.Metrics.Select(m => m with { History = [.. m.History.Select(h => new Measurement(h.Phase, h.StartedAt, h.FinishedAt, h.Value, h.Reason))] })],
    };

    [Fact]
    public async Task ProviderErrors_AreAnErrorReport_WithErrorLooksAndNoStaleRows()
    {
        var report = Report(await RunAsync([Pass(Rows()), null]));

        Assert.Equal(ReportStatus.Error, report.Status);
        Assert.Equal(DecisionCause.AnalysisError, report.Cause);
        var check = Assert.Single(report.Checks);
        Assert.Equal(ReportStatus.Error, check.Status);
        Assert.Equal(MeasurementPhase.Error, check.History[^1].Phase);
        Assert.Contains("connection refused", check.Reason, StringComparison.Ordinal);
        Assert.Empty(check.Endpoints);
        Assert.True(double.IsNaN(check.Value));
    }

    [Fact]
    public async Task AnalysisSkippedByAHuman_IsOnRecord()
    {
        var report = Report(await RunAsync(
            [Inconclusive(Rows())],
            command: (rollout, now) => now == Start + TimeSpan.FromMinutes(1) ? rollout.Apply(ManualAction.SkipAnalysis, "alice", "urgent fix", now) : null));

        Assert.True(report.AnalysisSkipped);
        Assert.Equal(RolloutAction.Promote, report.Action);
        var command = Assert.Single(report.Overrides);
        Assert.Equal((ManualAction.SkipAnalysis, "alice", "urgent fix"), (command.Action, command.By, command.Reason));
    }

    [Fact]
    public async Task PausedRollout_IsInconclusive()
    {
        // The soak step's analysis without a successful look asks a human.
        var report = Report(await RunAsync([Pass(Rows()), Pass(Rows()), Pass(Rows()), Inconclusive(Rows())]));

        Assert.Equal(RolloutAction.Pause, report.Action);
        Assert.Equal(ReportStatus.Inconclusive, report.Status);
        Assert.Equal(ReportStatus.Inconclusive, report.Checks[^1].Status);
    }

    [Theory]
    [InlineData("PPP", ReportStatus.Passed)]
    [InlineData("PIP", ReportStatus.Inconclusive)]
    [InlineData("PFI", ReportStatus.Failed)]
    [InlineData("", ReportStatus.Inconclusive)]
    public void Judgement_IsFailedByAnyFailure_InconclusiveByAnyDoubt_PassedOnlyWhenAllPass(string verdicts, ReportStatus expected)
    {
        var results = verdicts.Select(v => v switch { 'P' => Pass(Rows()), 'F' => Fail(Rows(0.75)), _ => Inconclusive(Rows()) });

        var report = CanaryReport.FromResults("gate", Start, results);

        Assert.Equal(ReportKind.Judgement, report.Kind);
        Assert.Equal(expected, report.Status);
        Assert.Equal(verdicts.Length, report.Checks.Count);
        Assert.All(report.Checks, c => Assert.Equal((null, 1, Start), (c.Step, c.History.Count, c.MeasuredAt)));
        Assert.Null(report.Action);
        Assert.Empty(report.Weights);
        if (expected == ReportStatus.Failed)
        {
            Assert.Equal("/api/pay: 75 % < 95 % (n=20)", report.Reason);
        }
    }

    [Fact]
    public void EmptyBuilder_CannotBuild()
    {
        Assert.Throws<InvalidOperationException>(() => new RolloutReportBuilder().Build());
        Assert.Throws<InvalidOperationException>(() => CanaryReport.FromDecisions([]));
    }

    [Fact]
    public void Judgement_WithACheckThatCouldNotBeMeasured_IsAnError_UnlessAnotherFailed()
    {
        var error = ReportCheck.Error("sequential-error-rate", "Provider error: connection refused", Start);
        Assert.Equal((ReportStatus.Error, double.NaN, 0), (error.Status, error.Value, error.Endpoints.Count));

        var inconclusiveThenError = CanaryReport.Judgement("gate", Start, [ReportCheck.Of(Inconclusive(), Start), error]);
        Assert.Equal((ReportStatus.Error, "Provider error: connection refused"), (inconclusiveThenError.Status, inconclusiveThenError.Reason));

        var failAndError = CanaryReport.Judgement("gate", Start, [error, ReportCheck.Of(Fail(), Start)]);
        Assert.Equal(ReportStatus.Failed, failAndError.Status);
    }
}

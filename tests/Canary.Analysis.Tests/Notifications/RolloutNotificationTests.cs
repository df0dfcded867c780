using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Notifications;
using Canary.Analysis.Policies;
using static Canary.Analysis.Tests.Notifications.NotificationScenarios;

namespace Canary.Analysis.Tests.Notifications;

public sealed class RolloutNotificationTests
{
    [Fact]
    public async Task FailedAnalysis_NamesTheDecidingEndpointItsValueAgainstTheLimitAndN()
    {
        var decision = await RolledBackAsync();
        Assert.Equal(RolloutAction.Rollback, decision.Action);

        var n = RolloutNotification.FromDecision(decision, Context)!;

        Assert.Equal(RolloutNotificationKind.RolledBack, n.Kind);
        Assert.Equal(DecisionCause.AnalysisFailed, n.Cause);
        Assert.Equal("checkout", n.Rollout);
        Assert.Equal("shop", n.Namespace);
        Assert.Equal("checkout-policy", n.Policy);
        Assert.Equal(1, n.StepIndex);
        Assert.Equal("fail-fast", n.StepName);
        Assert.Equal(5, n.StepWeight);
        Assert.Equal(0, n.Weight);
        Assert.Equal(decision.Reason, n.Reason);
        Assert.Equal(decision.At, n.At);
        var check = n.Check!;
        Assert.Equal("success-rate", check.Metric);
        Assert.Equal(SuccessRateEvaluator.CheckName, check.Check);
        Assert.Equal(AnalysisPhase.Failed, check.Phase);
        Assert.Equal(0.9627, check.Value);
        Assert.Equal(0.95, check.Threshold);
        Assert.Equal(1, check.Failed);
        Assert.False(check.IsSequential);
        var endpoint = n.Endpoint!;
        Assert.Equal("/api/pay", endpoint.Name);
        Assert.Equal(EndpointStatus.LimitBreached, endpoint.Status);
        Assert.Equal(0.912, endpoint.Value);
        Assert.Equal(0.95, endpoint.Limit);
        Assert.Equal(412, endpoint.Requests);
        Assert.Equal(0.4, endpoint.Weight);
        Assert.Null(n.Command);
    }

    [Fact]
    public async Task DashboardLink_FillsTheTemplateWithEscapedValuesAndTheRolloutsTimeRange()
    {
        var decision = await RolledBackAsync();
        var context = new NotificationContext
        {
            Rollout = "check out&x",
            DashboardUrlTemplate = "https://grafana.example.com/d/c?var-rollout={rollout}&var-namespace={namespace}&var-policy={policy}&step={step}&from={from}&to={to}",
        };

        var link = RolloutNotification.FromDecision(decision, context)!.DashboardUrl!;

        Assert.Equal(
            $"https://grafana.example.com/d/c?var-rollout=check%20out%26x&var-namespace=&var-policy=checkout-policy&step=2&from={Start.ToUnixTimeMilliseconds()}&to={decision.At.ToUnixTimeMilliseconds()}",
            link.AbsoluteUri);
        Assert.Null(RolloutNotification.FromDecision(decision, new NotificationContext { Rollout = "checkout" })!.DashboardUrl);
    }

    [Theory]
    [InlineData("not a url {rollout}")]
    [InlineData("ftp://grafana.example.com/{rollout}")]
    [InlineData("/d/relative?var-rollout={rollout}")]
    public async Task DashboardTemplate_MustBeAnAbsoluteHttpUrl(string template)
    {
        var decision = await RolledBackAsync();

        Assert.Throws<ArgumentException>(() => RolloutNotification.FromDecision(decision, new NotificationContext { Rollout = "checkout", DashboardUrlTemplate = template }));
    }

    [Fact]
    public async Task NothingToSay_ForContinuingAdvancingOrASettledRolloutRepeatingItself()
    {
        var rollout = new CanaryRollout(Policy(new FixedCheck(PayFailing())), Start);
        var decisions = await RunAsync(rollout);
        var repeat = await rollout.TickAsync(decisions[^1].At + TimeSpan.FromMinutes(5));

        Assert.Equal(DecisionCause.RolledBack, repeat.Cause);
        Assert.All(decisions[..^1], d => Assert.Null(RolloutNotification.FromDecision(d, Context)));
        Assert.Null(RolloutNotification.FromDecision(repeat, Context));
        Assert.Contains(decisions, d => d.Action == RolloutAction.Advance);
    }

    [Fact]
    public async Task InconclusiveAnalysis_PausesAndNamesTheEndpointShortOfData()
    {
        var decision = (await RunAsync(new CanaryRollout(Policy(new FixedCheck(RareShort())), Start)))[^1];
        Assert.Equal(RolloutAction.Pause, decision.Action);

        var n = RolloutNotification.FromDecision(decision, Context)!;

        Assert.Equal(RolloutNotificationKind.PausedInconclusive, n.Kind);
        Assert.Equal(AnalysisPhase.Inconclusive, n.Check!.Phase);
        Assert.Equal("/api/rare", n.Endpoint!.Name);
        Assert.Equal(EndpointStatus.Insufficient, n.Endpoint.Status);
        Assert.Equal(3, n.Endpoint.Requests);
    }

    [Fact]
    public async Task ProviderError_CarriesTheMeasurementErrorAndNoEndpoint()
    {
        var decision = (await RunAsync(new CanaryRollout(Policy(new FixedCheck(null)), Start)))[^1];
        Assert.Equal(RolloutAction.Rollback, decision.Action);

        var n = RolloutNotification.FromDecision(decision, Context)!;

        Assert.Equal(RolloutNotificationKind.ProviderError, n.Kind);
        Assert.Equal(AnalysisPhase.Error, n.Check!.Phase);
        Assert.Equal(MeasurementPhase.Error, n.Check.LastMeasurement);
        Assert.Contains("provider down", n.Check.Message, StringComparison.Ordinal);
        Assert.True(n.Check.Errors > 0);
        Assert.Null(n.Check.Check);
        Assert.Null(n.Endpoint);
    }

    [Fact]
    public async Task HumanCommands_AreManualOverridesWithWhoAndWhy()
    {
        var rollout = new CanaryRollout(Policy(new FixedCheck(Passing())), Start);
        await rollout.TickAsync(Start);

        var abort = rollout.Apply(ManualAction.Abort, "alice", "wrong build", Start + TimeSpan.FromMinutes(1));
        var n = RolloutNotification.FromDecision(abort, Context)!;

        Assert.Equal(RolloutNotificationKind.ManualOverride, n.Kind);
        Assert.Equal(RolloutAction.Rollback, n.Action);
        Assert.Equal(ManualAction.Abort, n.Command!.Action);
        Assert.Equal("alice", n.Command.By);
        Assert.Equal("wrong build", n.Command.Reason);
    }

    [Fact]
    public async Task PassingRollout_PausesForAHumanThenIsPromotedByOne()
    {
        var rollout = new CanaryRollout(Policy(new FixedCheck(Passing())), Start);
        var waiting = (await RunAsync(rollout))[^1];

        var paused = RolloutNotification.FromDecision(waiting, Context)!;
        var promoted = RolloutNotification.FromDecision(rollout.Apply(ManualAction.Promote, "bob", "looks good", waiting.At + TimeSpan.FromMinutes(1)), Context)!;

        Assert.Equal(RolloutNotificationKind.WaitingForHuman, paused.Kind);
        Assert.Equal(RolloutNotificationKind.ManualOverride, promoted.Kind);
        Assert.Equal(RolloutAction.Promote, promoted.Action);
        Assert.Equal(AnalysisPhase.Successful, paused.Check?.Phase ?? AnalysisPhase.Successful);
        Assert.Null(paused.Endpoint);
    }

    [Fact]
    public async Task LastStepCompleting_IsAPromotion()
    {
        var policy = new CanaryPolicy("p", [CanaryStep.SetWeight(5), CanaryStep.Analysis("a", new AnalysisMetric { Name = "sr", Check = new FixedCheck(Passing()), Interval = TimeSpan.FromMinutes(1), Count = 2 })]);
        var decision = (await RunAsync(new CanaryRollout(policy, Start)))[^1];

        var n = RolloutNotification.FromDecision(decision, Context)!;

        Assert.Equal(RolloutAction.Promote, decision.Action);
        Assert.Equal(RolloutNotificationKind.Promoted, n.Kind);
        Assert.Equal(100, n.Weight);
    }

    [Fact]
    public async Task Id_IsTheSameForTheSameDecisionAndDiffersOtherwise()
    {
        var a = await RolledBackNotificationAsync();
        var b = await RolledBackNotificationAsync();
        var decision = await RolledBackAsync();
        var otherRollout = RolloutNotification.FromDecision(decision, new NotificationContext { Rollout = "cart", Namespace = "shop" })!;
        var later = (await RunAsync(new CanaryRollout(Policy(new FixedCheck(PayFailing())), Start + TimeSpan.FromHours(1)), Start + TimeSpan.FromHours(1)))[^1];

        Assert.Equal(a.Id, b.Id);
        Assert.Equal(a, b);
        Assert.Matches("^[0-9a-f]{32}$", a.Id);
        Assert.NotEqual(a.Id, otherRollout.Id);
        Assert.NotEqual(a.Id, RolloutNotification.FromDecision(later, Context)!.Id);
    }

    [Fact]
    public async Task SequentialCheck_DecidingEndpointIsTheOneWithMostEvidenceWhenNoneCrossedAlone()
    {
        var result = new CheckResult(SequentialErrorRateEvaluator.CheckName, Verdict.Fail, 1.2, 1, "combined evidence crossed",
        [
            new EndpointResult("/a", EndpointStatus.Judged, 900, 890, 0.9889, 0.5, 0.4, null, 0.995) { SuccessRateDropBound = 0.02, EvidenceKind = EvidenceKind.EValue, EvidenceValue = 40, EvidenceBoundary = 100 },
            new EndpointResult("/b", EndpointStatus.Judged, 300, 290, 0.9667, 0.5, 0.7, null, 0.995) { SuccessRateDropBound = 0.05, EvidenceKind = EvidenceKind.EValue, EvidenceValue = 70, EvidenceBoundary = 100 },
        ])
        { SuccessRateDropBound = 0.03 };
        var decision = (await RunAsync(new CanaryRollout(Policy(new FixedCheck(result)), Start)))[^1];

        var n = RolloutNotification.FromDecision(decision, Context)!;

        Assert.True(n.Check!.IsSequential);
        Assert.Equal(0.03, n.Check.SuccessRateDropBound);
        Assert.Equal("/b", n.Endpoint!.Name);
        Assert.Equal(0.7, n.Endpoint.Contribution);
        Assert.Equal(0.995, n.Endpoint.BaselineValue);
        Assert.Equal((EvidenceKind.EValue, 70.0, 100.0), (n.Endpoint.EvidenceKind, n.Endpoint.EvidenceValue, n.Endpoint.EvidenceBoundary));
        Assert.Equal("/b: 96.67 % against the baseline's 99.5 % (n=300); e-value 70 against its boundary 100", Canary.Analysis.Notifications.Internal.NotificationText.Finding(n));
    }

    [Fact]
    public async Task SequentialCheck_CanaryOnlyEndpoint_ValueAgainstItsSuccessRateFloor_AndItsEvidence()
    {
        var result = new CheckResult(SequentialErrorRateEvaluator.CheckName, Verdict.Fail, 1.2, 1, "/new: canary errors above the canary-only limit",
            [new EndpointResult("/new", EndpointStatus.LimitBreached, 250, 200, 0.8, 1, 1.2, 0.95) { EvidenceKind = EvidenceKind.EValue, EvidenceValue = 1234.5, EvidenceBoundary = 333.3 }]);
        var decision = (await RunAsync(new CanaryRollout(Policy(new FixedCheck(result)), Start)))[^1];

        var n = RolloutNotification.FromDecision(decision, Context)!;

        Assert.Equal("/new: 80 % against the limit 95 % (n=250); e-value 1235 against its boundary 333.3", Canary.Analysis.Notifications.Internal.NotificationText.Finding(n));
    }

    [Fact]
    public void Arguments_AreChecked()
    {
        Assert.Throws<ArgumentNullException>(() => RolloutNotification.FromDecision(null!, Context));
    }
}

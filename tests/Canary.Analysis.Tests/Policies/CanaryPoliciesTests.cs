using Canary.Analysis.Analysis;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.TestSupport;

namespace Canary.Analysis.Tests.Policies;

public sealed class CanaryPoliciesTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Records the windows the factory was asked for and answers with one scripted check.</summary>
    private sealed class Factory(string script = "P")
    {
        public List<TimeSpan> Windows { get; } = [];

        public Dictionary<string, IAnalysisCheck> Create(TimeSpan window)
        {
            Windows.Add(window);
            return new Dictionary<string, IAnalysisCheck> { ["success-rate"] = new ScriptedCheck(script) };
        }
    }

    private static (string Kind, int Weight, string? Name, int Count, TimeSpan Interval, TimeSpan Delay) Describe(CanaryStep step) =>
        step.Kind == CanaryStepKind.Analysis
            ? (step.FailFast ? "fail-fast analysis" : "analysis", 0, step.Name, step.Metrics[0].Count!.Value, step.Metrics[0].Interval!.Value, step.Metrics[0].InitialDelay)
            : (step.Kind.ToString(), step.Weight, null, 0, TimeSpan.Zero, TimeSpan.Zero);

    [Theory]
    [InlineData(15, 13)]
    [InlineData(60, 50)]
    [InlineData(10, 9)]
    public void FailFastDuration_Is50DataPointsRoundedUpToWholeMinutes(int scrapeSeconds, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), CanaryPolicies.FailFastDuration(TimeSpan.FromSeconds(scrapeSeconds)));
    }

    [Fact]
    public void FailFastThenSoak_Is5PercentFor13Minutes_Then10PercentFor30MinutesTwice()
    {
        var factory = new Factory();

        var policy = CanaryPolicies.FailFastThenSoak(factory.Create);

        Assert.Equal("fail-fast-then-soak", policy.Name);
        Assert.Equal(
            [
                ("SetWeight", 5, null, 0, TimeSpan.Zero, TimeSpan.Zero),
                ("fail-fast analysis", 0, "fail-fast", 13, Minute, Minute),
                ("SetWeight", 10, null, 0, TimeSpan.Zero, TimeSpan.Zero),
                ("analysis", 0, "soak-1", 30, Minute, Minute),
                ("analysis", 0, "soak-2", 30, Minute, Minute),
            ],
            policy.Steps.Select(Describe).ToList());
        Assert.Equal([TimeSpan.FromMinutes(13), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30)], factory.Windows);
        Assert.Equal(TimeSpan.FromMinutes(73), policy.PlannedDuration);
        var failFast = policy.Steps[1].Metrics[0];
        Assert.Equal((0, 12, "success-rate"), (failFast.FailureLimit, failFast.InconclusiveLimit, failFast.Name));
    }

    [Fact]
    public void FailFastThenSoak_At60sScrapes_Stretches_Every_Step_To50Minutes()
    {
        var policy = CanaryPolicies.FailFastThenSoak(new Factory().Create, TimeSpan.FromSeconds(60));

        Assert.Equal([50, 50, 50], policy.Steps.Where(s => s.Kind == CanaryStepKind.Analysis).Select(s => s.Metrics[0].Count!.Value));
        Assert.DoesNotContain(PolicyLinter.Lint(policy, new PolicyLintContext { ScrapeInterval = TimeSpan.FromSeconds(60) }), f => f.Id == "CNY003");
    }

    [Fact]
    public void LongSoak_IsFailFastThen24HourlyLooksAt10Percent()
    {
        var factory = new Factory();

        var policy = CanaryPolicies.LongSoak(factory.Create);

        Assert.Equal("long-soak", policy.Name);
        var hour = TimeSpan.FromHours(1);
        Assert.Equal(
            [
                ("SetWeight", 5, null, 0, TimeSpan.Zero, TimeSpan.Zero),
                ("fail-fast analysis", 0, "fail-fast", 13, Minute, Minute),
                ("SetWeight", 10, null, 0, TimeSpan.Zero, TimeSpan.Zero),
                ("analysis", 0, "soak", 24, hour, hour),
            ],
            policy.Steps.Select(Describe).ToList());
        Assert.Equal([TimeSpan.FromMinutes(13), hour], factory.Windows);
        Assert.Equal(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(13), policy.PlannedDuration);
        Assert.Equal(36, CanaryPolicies.LongSoak(factory.Create, soak: TimeSpan.FromHours(35.5)).Steps[3].Metrics[0].Count);
    }

    [Fact]
    public void FailFastThenSoak_Lints_NoError_WarnsOnlyAboutShortAnalysisAndTheRareEndpoint()
    {
        var context = new PolicyLintContext
        {
            Replicas = 20,
            RequestsPerSecond = new Dictionary<string, double> { ["/search"] = 100, ["/pay"] = 0.3 },
        };

        var findings = PolicyLinter.Lint(CanaryPolicies.FailFastThenSoak(new Factory().Create), context);

        Assert.DoesNotContain(findings, f => f.Severity == LintSeverity.Error);
        Assert.Equal(
            [("CNY004", (int?)null), ("CNY006", 1), ("CNY006", 3), ("CNY006", 4)],
            findings.Select(f => (f.Id, f.StepIndex)).ToList());
        Assert.All(findings, f => Assert.Equal(LintSeverity.Warning, f.Severity));
    }

    [Fact]
    public void LongSoak_Lints_NoError_WarnsOnlyThatFailFastCannotSeeTheRareEndpoint()
    {
        var context = new PolicyLintContext
        {
            Replicas = 20,
            RequestsPerSecond = new Dictionary<string, double> { ["/search"] = 100, ["/pay"] = 0.3 },
            PeakStart = new TimeOnly(18, 0),
            PeakEnd = new TimeOnly(21, 0),
            PlannedStart = new TimeOnly(10, 0),
        };

        var findings = PolicyLinter.Lint(CanaryPolicies.LongSoak(new Factory().Create), context);

        var only = Assert.Single(findings);
        Assert.Equal(("CNY006", LintSeverity.Warning, (int?)1), (only.Id, only.Severity, only.StepIndex));
        Assert.Contains("/pay", only.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailFastThenSoak_RollsBackOnTheFirstFailedLook_AndPromotesAHealthyRelease()
    {
        var healthy = new CanaryRollout(CanaryPolicies.FailFastThenSoak(new Factory("IIP").Create), Start);
        var broken = new CanaryRollout(CanaryPolicies.FailFastThenSoak(new Factory("IF").Create), Start);
        RolloutDecision? last = null;
        (DateTimeOffset At, RolloutDecision Decision)? rolledBack = null;
        for (var t = Start; t <= Start + TimeSpan.FromHours(2); t += Minute)
        {
            last = await healthy.TickAsync(t);
            if (rolledBack is null && await broken.TickAsync(t) is { Action: RolloutAction.Rollback } decision)
            {
                rolledBack = (t, decision);
            }
        }

        Assert.Equal(RolloutStatus.Promoted, healthy.State.Status);
        Assert.Equal(RolloutAction.Promote, last!.Action);
        Assert.NotNull(rolledBack);
        Assert.Contains("fail-fast", rolledBack.Value.Decision.Reason, StringComparison.Ordinal);
        Assert.True(rolledBack.Value.At <= Start + TimeSpan.FromMinutes(3), $"rolled back at {rolledBack.Value.At}");
    }

    [Fact]
    public void Factory_ReturningNothing_Throws()
    {
        Assert.Throws<ArgumentException>(() => CanaryPolicies.FailFastThenSoak(_ => new Dictionary<string, IAnalysisCheck>()));
        Assert.Throws<ArgumentNullException>(() => CanaryPolicies.LongSoak(_ => null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => CanaryPolicies.LongSoak(new Factory().Create, soak: TimeSpan.Zero));
    }
}

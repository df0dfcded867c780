using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Policies;

public sealed class PolicyLinterTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static readonly Dictionary<string, double> Traffic = new() { ["/search"] = 100, ["/pay"] = 0.3 };

    /// <summary>A metric measured once a minute after a minute's delay: <paramref name="duration"/> of planned analysis.</summary>
    private static AnalysisMetric Metric(TimeSpan duration, string name = "success-rate", IAnalysisCheck? check = null, bool dryRun = false) => new()
    {
        Name = name,
        Check = check ?? new ScriptedCheck("P"),
        Interval = Minute,
        InitialDelay = Minute,
        Count = (int)(duration / Minute),
        InconclusiveLimit = (int)(duration / Minute) - 1,
        DryRun = dryRun,
    };

    /// <summary>Fail-fast 5 % for 13 minutes, then a 24-hour soak at 10 %: nothing to warn about by default.</summary>
    private static CanaryPolicy Good(params AnalysisMetric[] soakExtra) => new("good",
    [
        CanaryStep.SetWeight(5),
        CanaryStep.Analysis("fail-fast", Metric(TimeSpan.FromMinutes(13))),
        CanaryStep.SetWeight(10),
        CanaryStep.Analysis("soak", [Metric(TimeSpan.FromHours(24)), .. soakExtra]),
    ]);

    private static CanaryPolicy Policy(params CanaryStep[] steps) => new("test", steps);

    private static SuccessRateCheck SuccessRate(EndpointWeights weights, TimeSpan? window = null) => new(
        new PrometheusTrafficSource(new FakeMetricProvider(_ => throw new NotSupportedException()), TrafficConvention.PrometheusNet),
        LabelSelector.Parse("version=\"canary\""),
        window ?? TimeSpan.FromMinutes(13),
        new SuccessRateCriteria { Weights = weights });

    private static SequentialErrorRateCheck Sequential(EndpointWeights weights) => new(
        new PrometheusTrafficSource(new FakeMetricProvider(_ => throw new NotSupportedException()), TrafficConvention.PrometheusNet),
        LabelSelector.Parse("version=\"canary\""),
        LabelSelector.Parse("version=\"baseline\""),
        Minute,
        new SequentialErrorRateCriteria { Weights = weights });

    private static QueryCheck Query(string query) =>
        new("query", new FakeMetricProvider(_ => throw new NotSupportedException()), query, Threshold.AtLeast(0.95));

    private static List<LintFinding> Findings(CanaryPolicy policy, string id, PolicyLintContext? context = null) =>
        PolicyLinter.Lint(policy, context).Where(f => f.Id == id).ToList();

    [Fact]
    public void GoodPolicy_OnlyNotesThatPowerWasNotChecked()
    {
        var findings = PolicyLinter.Lint(Good(), new PolicyLintContext());

        var only = Assert.Single(findings);
        Assert.Equal(("CNY006", LintSeverity.Info), (only.Id, only.Severity));
        Assert.Contains("RequestsPerSecond", only.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY001_WeightAbove10Percent_Warns_NamingTheStepAndWeight()
    {
        var finding = Assert.Single(Findings(Policy(CanaryStep.SetWeight(5), CanaryStep.Analysis("fail-fast", Metric(TimeSpan.FromMinutes(13))), CanaryStep.SetWeight(25)), "CNY001"));

        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Equal(2, finding.StepIndex);
        Assert.Contains("Step 2", finding.Message, StringComparison.Ordinal);
        Assert.Contains("25 %", finding.Message, StringComparison.Ordinal);
        Assert.Contains("too many users", finding.Message, StringComparison.Ordinal);
        Assert.Contains("SetWeight(10)", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY001_WeightBelow5Percent_Warns_TooLittleData()
    {
        var finding = Assert.Single(Findings(Policy(CanaryStep.SetWeight(1), CanaryStep.Analysis("fail-fast", Metric(TimeSpan.FromMinutes(13)))), "CNY001"));

        Assert.Contains("too little data", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY001_WeightsWithin5To10_AndFull100_DoNotWarn()
    {
        Assert.Empty(Findings(Good(), "CNY001"));
        Assert.Empty(Findings(Policy(CanaryStep.SetWeight(5), CanaryStep.Analysis("a", Metric(TimeSpan.FromMinutes(13))), CanaryStep.SetWeight(100)), "CNY001"));
    }

    [Fact]
    public void CNY002_PauseBetweenFirstWeightAndAnalysis_IsNotFailFast()
    {
        var policy = Policy(CanaryStep.SetWeight(5), CanaryStep.Pause(TimeSpan.FromHours(1)), CanaryStep.Analysis("late", Metric(TimeSpan.FromMinutes(13))));

        var finding = Assert.Single(Findings(policy, "CNY002"));

        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Equal(1, finding.StepIndex);
        Assert.Contains("first canary weight (5 %, step 0)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("12.5 min", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY002_NoCanaryWeightAtAll_Warns()
    {
        var finding = Assert.Single(Findings(Policy(CanaryStep.Analysis("a", Metric(TimeSpan.FromMinutes(13))), CanaryStep.SetWeight(100)), "CNY002"));

        Assert.Null(finding.StepIndex);
    }

    [Fact]
    public void CNY002_AnalysisRightAfterFirstWeight_OrBackgroundFromThere_IsFailFast()
    {
        Assert.Empty(Findings(Good(), "CNY002"));
        var background = new AnalysisMetric { Name = "bg", Check = new ScriptedCheck("P"), Interval = Minute };
        var withBackground = new CanaryPolicy("bg", [CanaryStep.SetWeight(5), CanaryStep.Pause(TimeSpan.FromHours(25))], [background], backgroundFromStep: 1);
        Assert.Empty(Findings(withBackground, "CNY002"));
    }

    [Fact]
    public void CNY003_TenMinuteAnalysisAt15s_HasOnly40DataPoints()
    {
        var policy = Policy(CanaryStep.SetWeight(5), CanaryStep.Analysis("fail-fast", Metric(TimeSpan.FromMinutes(10))));

        var finding = Assert.Single(Findings(policy, "CNY003"));

        Assert.Equal(1, finding.StepIndex);
        Assert.Contains("10 min", finding.Message, StringComparison.Ordinal);
        Assert.Contains("40 data points at 15 s", finding.Message, StringComparison.Ordinal);
        Assert.Contains("12.5 min", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY003_13MinutesIsEnoughAt15s_ButNotAt60s()
    {
        Assert.Empty(Findings(Good(), "CNY003"));

        var at60 = Assert.Single(Findings(Good(), "CNY003", new PolicyLintContext { ScrapeInterval = TimeSpan.FromSeconds(60) }));
        Assert.Contains("13 data points at 1 min scrapes", at60.Message, StringComparison.Ordinal);
        Assert.Contains("50 min", at60.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY003_ACheckWindowShorterThanTheStep_CapsTheData()
    {
        var shortWindow = Metric(TimeSpan.FromMinutes(13), check: SuccessRate(EndpointWeights.Equal(), TimeSpan.FromMinutes(5)));
        var policy = Policy(CanaryStep.SetWeight(5), CanaryStep.Analysis("fail-fast", shortWindow));

        var finding = Assert.Single(Findings(policy, "CNY003"));

        Assert.Contains("judges 5 min of data: 20 data points", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY004_ProblemStatementPolicy_AnalysesLessThan24Hours()
    {
        var policy = Policy(
            CanaryStep.SetWeight(5), CanaryStep.Analysis("fail-fast", Metric(TimeSpan.FromMinutes(13))),
            CanaryStep.SetWeight(10), CanaryStep.Analysis("soak-1", Metric(TimeSpan.FromMinutes(30))), CanaryStep.Analysis("soak-2", Metric(TimeSpan.FromMinutes(30))));

        var finding = Assert.Single(Findings(policy, "CNY004"));

        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Contains("analyses 1 h 13 min in all, less than 24 h", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY004_PausesOnly_IsAnError()
    {
        var finding = Assert.Single(Findings(Policy(CanaryStep.SetWeight(5), CanaryStep.Pause(TimeSpan.FromDays(2))), "CNY004"));

        Assert.Equal(LintSeverity.Error, finding.Severity);
    }

    [Fact]
    public void CNY004_DayLongSoak_OrBackgroundAcrossAPause_IsEnough()
    {
        Assert.Empty(Findings(Good(), "CNY004"));
        var background = new AnalysisMetric { Name = "bg", Check = new ScriptedCheck("P"), Interval = Minute };
        var withBackground = new CanaryPolicy("bg", [CanaryStep.SetWeight(5), CanaryStep.Analysis("fail-fast", Metric(TimeSpan.FromMinutes(13))), CanaryStep.Pause(TimeSpan.FromHours(24))], [background], backgroundFromStep: 1);
        Assert.Empty(Findings(withBackground, "CNY004"));
    }

    [Fact]
    public void CNY005_ShortPolicyStartedInTheMorning_MissesTheEveningPeak()
    {
        var policy = Policy(CanaryStep.SetWeight(5), CanaryStep.Analysis("fail-fast", Metric(TimeSpan.FromMinutes(13))), CanaryStep.SetWeight(10), CanaryStep.Analysis("soak", Metric(TimeSpan.FromHours(2))));
        var context = new PolicyLintContext { PeakStart = new TimeOnly(18, 0), PeakEnd = new TimeOnly(20, 0), PlannedStart = new TimeOnly(9, 0) };

        var finding = Assert.Single(Findings(policy, "CNY005", context));

        Assert.Contains("Started at 09:00", finding.Message, StringComparison.Ordinal);
        Assert.Contains("09:00–11:13", finding.Message, StringComparison.Ordinal);
        Assert.Contains("18:00–20:00", finding.Message, StringComparison.Ordinal);

        // The same short policy started at 17:50 does contain the peak.
        Assert.Empty(Findings(policy, "CNY005", new PolicyLintContext { PeakStart = new TimeOnly(18, 0), PeakEnd = new TimeOnly(20, 0), PlannedStart = new TimeOnly(17, 50) }));
    }

    [Fact]
    public void CNY005_DayLongSoak_CoversAPeakThatSpansMidnight()
    {
        var context = new PolicyLintContext { PeakStart = new TimeOnly(23, 0), PeakEnd = new TimeOnly(1, 0), PlannedStart = new TimeOnly(9, 0) };

        Assert.Empty(Findings(Good(), "CNY005", context));
    }

    [Fact]
    public void CNY005_UnknownStart_NeedsADayPlusThePeakWithoutABreak()
    {
        var context = new PolicyLintContext { PeakStart = new TimeOnly(18, 0), PeakEnd = new TimeOnly(21, 0) };

        var finding = Assert.Single(Findings(Good(), "CNY005", context));

        Assert.Contains("24 h 13 min", finding.Message, StringComparison.Ordinal);
        Assert.Contains("27 h", finding.Message, StringComparison.Ordinal);
        Assert.Empty(Findings(Good(), "CNY005", new PolicyLintContext { PeakStart = new TimeOnly(18, 0), PeakEnd = new TimeOnly(18, 10) }));
    }

    [Fact]
    public void CNY006_FailFastStep_IsTooShortForTheRarestEndpoint()
    {
        var context = new PolicyLintContext { RequestsPerSecond = Traffic };

        var finding = Assert.Single(Findings(Good(), "CNY006", context));

        Assert.Equal((LintSeverity.Warning, (int?)1), (finding.Severity, finding.StepIndex));
        Assert.Contains("/pay (0.3 req/s)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("0.5% → 5% errors", finding.Message, StringComparison.Ordinal);
        var needed = Canary.Analysis.Statistics.SampleSize.TimeToEvidence(0.3, 0.05, 0.995, 0.95, 0.05, 0.8, Canary.Analysis.Statistics.Alternative.Less);
        Assert.True(needed > TimeSpan.FromMinutes(13), $"{needed}");
        Assert.Contains(Canary.Analysis.Policies.Lint.LintText.Show(needed), finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY006_BusyEndpointsOnly_OrWeightsOnTheBusyEndpoint_HaveEnoughPower()
    {
        Assert.Empty(Findings(Good(), "CNY006", new PolicyLintContext { RequestsPerSecond = new Dictionary<string, double> { ["/search"] = 100 } }));

        // Only /search is weighted, so the rare /pay is not judged and does not decide.
        var weights = new EndpointWeights { ["/search"] = 1 };
        var policy = Policy(CanaryStep.SetWeight(5), CanaryStep.Analysis("fail-fast", Metric(TimeSpan.FromMinutes(13), check: SuccessRate(weights))));
        Assert.Empty(Findings(policy, "CNY006", new PolicyLintContext { RequestsPerSecond = Traffic }));
    }

    [Fact]
    public void CNY006_AnalysisAtZeroWeight_Warns()
    {
        var finding = Assert.Single(Findings(Policy(CanaryStep.Analysis("a", Metric(TimeSpan.FromMinutes(13)))), "CNY006", new PolicyLintContext { RequestsPerSecond = Traffic }));

        Assert.Contains("0 % weight", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY007_FivePercentOnFourReplicas_IsReally20Percent()
    {
        var findings = Findings(Good(), "CNY007", new PolicyLintContext { Replicas = 4 });

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(LintSeverity.Error, f.Severity));
        Assert.Equal(0, findings[0].StepIndex);
        Assert.Contains("Step 0 sets 5 %, but 4 replicas give 1 canary and 4 stable pods: the canary really gets 20 %", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("Run at least", findings[0].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY007_EnoughReplicas_OrTrafficRouted_AchievesTheWeight()
    {
        Assert.Empty(Findings(Good(), "CNY007", new PolicyLintContext { Replicas = 20 }));
        Assert.Empty(Findings(Good(), "CNY007", new PolicyLintContext { Replicas = 4, TrafficRouted = true }));
        Assert.Empty(Findings(Good(), "CNY007"));
    }

    [Fact]
    public void CNY008_NoSkipPath_Warns()
    {
        var finding = Assert.Single(Findings(Good(), "CNY008", new PolicyLintContext { HasSkipPath = false }));

        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Contains("24 h 13 min of analysis", finding.Message, StringComparison.Ordinal);
        Assert.Contains("ManualAction.SkipAnalysis", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY008_TimedPausesAreNotSkipped_Info()
    {
        var policy = Policy(CanaryStep.SetWeight(5), CanaryStep.Analysis("fail-fast", Metric(TimeSpan.FromMinutes(13))), CanaryStep.Pause(TimeSpan.FromHours(2)));

        var finding = Assert.Single(Findings(policy, "CNY008"));

        Assert.Equal((LintSeverity.Info, (int?)2), (finding.Severity, finding.StepIndex));
        Assert.Contains("still waits 2 h", finding.Message, StringComparison.Ordinal);
        Assert.Empty(Findings(Good(), "CNY008"));
    }

    [Fact]
    public void CNY009_AggregateQuery_WhileEndpointWeightsAreConfigured_Warns()
    {
        var weighted = Metric(TimeSpan.FromHours(24), "weighted", SuccessRate(new EndpointWeights { ["/pay"] = 0.8, ["/search"] = 0.2 }));
        var aggregate = Metric(TimeSpan.FromHours(24), "aggregate", Query("sum(rate(http_requests_total{code=~\"2..\"}[5m])) / sum(rate(http_requests_total[5m]))"));

        var finding = Assert.Single(Findings(Good(weighted, aggregate), "CNY009"));

        Assert.Equal((LintSeverity.Warning, (int?)3), (finding.Severity, finding.StepIndex));
        Assert.Contains("metric 'aggregate'", finding.Message, StringComparison.Ordinal);
        Assert.Contains("metric 'weighted'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY009_TrafficWeightedSuccessRate_WhileEndpointWeightsAreConfigured_Warns()
    {
        var weighted = Metric(TimeSpan.FromHours(24), "weighted", SuccessRate(new EndpointWeights { ["/pay"] = 0.8, ["/search"] = 0.2 }));
        var aggregate = Metric(TimeSpan.FromHours(24), "aggregate", SuccessRate(EndpointWeights.TrafficWeighted()));

        var finding = Assert.Single(Findings(Good(weighted, aggregate), "CNY009"));

        Assert.Contains("TrafficWeighted", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY009_GroupedQuery_DryRunAggregate_OrNoWeightsElsewhere_DoNotWarn()
    {
        var weighted = Metric(TimeSpan.FromHours(24), "weighted", SuccessRate(new EndpointWeights { ["/pay"] = 0.8 }));
        var grouped = Metric(TimeSpan.FromHours(24), "grouped", Query("sum by (endpoint) (rate(x{code=~\"2..\"}[5m])) / sum by (endpoint) (rate(x[5m]))"));
        var dryRun = Metric(TimeSpan.FromHours(24), "dry", Query("sum(rate(x{code=~\"2..\"}[5m])) / sum(rate(x[5m]))"), dryRun: true);
        Assert.Empty(Findings(Good(weighted, grouped, dryRun), "CNY009"));

        var aggregate = Metric(TimeSpan.FromHours(24), "aggregate", Query("sum(rate(x{code=~\"2..\"}[5m])) / sum(rate(x[5m]))"));
        Assert.Empty(Findings(Good(aggregate), "CNY009"));
    }

    [Fact]
    public void CNY010_FailFastStepWithNoRegularAnalysisAfterIt_Warns()
    {
        var failFastLast = Policy(
            CanaryStep.SetWeight(5),
            CanaryStep.Analysis("soak", Metric(TimeSpan.FromHours(24))),
            CanaryStep.FailFastAnalysis("fail-fast", Metric(TimeSpan.FromMinutes(13))));

        var finding = Assert.Single(Findings(failFastLast, "CNY010"));

        Assert.Equal((LintSeverity.Warning, (int?)2), (finding.Severity, finding.StepIndex));
        Assert.StartsWith("Step 2 (fail-fast analysis 'fail-fast' (success-rate)) is fail-fast, but no regular analysis step follows it", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY010_FailFastThenSoak_AndPoliciesWithoutFailFastSteps_DoNotWarn()
    {
        var preset = CanaryPolicies.FailFastThenSoak(_ => new Dictionary<string, IAnalysisCheck> { ["m"] = new ScriptedCheck("P") });

        Assert.True(preset.Steps[1].FailFast);
        Assert.Empty(Findings(preset, "CNY010"));
        Assert.Empty(Findings(Good(), "CNY010"));
    }

    [Fact]
    public void CNY006_SeesTheWeightsOfASequentialErrorRateCheck()
    {
        // Only /search is weighted in the sequential check: the rare /pay is not judged, so the fail-fast step has power.
        var onlySearch = Metric(TimeSpan.FromMinutes(13), check: Sequential(new EndpointWeights { ["/search"] = 1 }));
        Assert.Empty(Findings(Policy(CanaryStep.SetWeight(5), CanaryStep.Analysis("fail-fast", onlySearch)), "CNY006", new PolicyLintContext { RequestsPerSecond = Traffic }));

        // Weighting /pay makes it the rarest judged endpoint.
        var withPay = Metric(TimeSpan.FromMinutes(13), check: Sequential(new EndpointWeights { ["/search"] = 1, ["/pay"] = 1 }));
        var finding = Assert.Single(Findings(Policy(CanaryStep.SetWeight(5), CanaryStep.Analysis("fail-fast", withPay)), "CNY006", new PolicyLintContext { RequestsPerSecond = Traffic }));
        Assert.Contains("/pay (0.3 req/s)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CNY009_ExplicitWeightsOfASequentialCheck_MakeAnAggregateQueryAWarning()
    {
        var sequential = Metric(TimeSpan.FromHours(24), "error-rate", Sequential(new EndpointWeights { ["/pay"] = 0.8, ["/search"] = 0.2 }));
        var aggregate = Metric(TimeSpan.FromHours(24), "aggregate", Query("sum(rate(x{code=~\"2..\"}[5m])) / sum(rate(x[5m]))"));

        var finding = Assert.Single(Findings(Good(sequential, aggregate), "CNY009"));

        Assert.Contains("metric 'error-rate'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UserChecks_DescribeThemselves_OrAreOpaque()
    {
        // A user check with a 5-minute window caps the data its step judges (CNY003), as a SuccessRateCheck does.
        var described = Metric(TimeSpan.FromMinutes(13), check: new DescribedCheck(new CheckDescription { Judges = CheckSubject.Latency, Window = TimeSpan.FromMinutes(5) }));
        var finding = Assert.Single(Findings(Policy(CanaryStep.SetWeight(5), CanaryStep.Analysis("fail-fast", described)), "CNY003"));
        Assert.Contains("judges 5 min of data", finding.Message, StringComparison.Ordinal);

        // A user check that says nothing is opaque: judged over the whole step, every endpoint.
        IAnalysisCheck opaque = new ScriptedCheck("P");
        Assert.Same(CheckDescription.Opaque, opaque.Description);
        Assert.Equal(CheckSubject.Unknown, opaque.Description.Judges);
        Assert.Empty(Findings(Policy(CanaryStep.SetWeight(5), CanaryStep.Analysis("fail-fast", Metric(TimeSpan.FromMinutes(13)))), "CNY003"));
    }

    [Fact]
    public void BuiltInChecks_DescribeWhatTheyJudge()
    {
        var weights = new EndpointWeights { ["/pay"] = 0.8 };
        var success = SuccessRate(weights, TimeSpan.FromMinutes(7)).Description;
        Assert.Equal((CheckSubject.SuccessRate, (TimeSpan?)TimeSpan.FromMinutes(7), (double?)50, false, (double?)null), (success.Judges, success.Window, success.MinimumRequestsPerEndpoint, success.ComparesWithBaseline, success.SequentialAlpha));
        Assert.Equal(0.8, success.Weights!["/pay"]);

        var sequential = Sequential(weights).Description;
        Assert.Equal((CheckSubject.ErrorRate, (TimeSpan?)null, true, (double?)0.05), (sequential.Judges, sequential.Window, sequential.ComparesWithBaseline, sequential.SequentialAlpha));

        var query = Query("up").Description;
        Assert.Equal((CheckSubject.Query, "up"), (query.Judges, query.Query));

        // The description is a snapshot: changing its weights does not change the check's.
        success.Weights!["/pay"] = 0;
        Assert.Equal(0.8, weights["/pay"]);
        var copy = new CheckDescription { Weights = weights };
        weights["/pay"] = 0.1;
        Assert.Equal(0.8, copy.Weights!["/pay"]);
    }

    [Fact]
    public void Finding_ToString_HasIdSeverityMessageAndFix()
    {
        var finding = new LintFinding("CNY001", LintSeverity.Warning, "Too high.", "Lower it.", 2);

        Assert.Equal("CNY001 Warning: Too high. Fix: Lower it.", finding.ToString());
    }

    [Fact]
    public void InvalidContext_Throws_NamingTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => PolicyLinter.Lint(Good(), new PolicyLintContext { PeakStart = new TimeOnly(18, 0) }));

        Assert.Contains("PeakEnd", error.Message, StringComparison.Ordinal);
    }

    private sealed class DescribedCheck(CheckDescription description) : IAnalysisCheck
    {
        public CheckDescription Description => description;

        public Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
            Task.FromResult(new CheckResult("described", Verdict.Pass, 1, 1, "ok", []));
    }
}

using Canary.Analysis.Statistics.Judge;

namespace Canary.Analysis.Tests.Statistics.Judge;

/// <summary>
/// Kayenta's interval policy tests (kayenta.md §5.5): <c>GenerateCanaryAnalysisResultTaskTest</c>,
/// <c>SetupAndExecuteCanariesStageTest</c> and orca's <c>AggregateCanaryResultsTaskSpec</c>.
/// </summary>
public sealed class KayentaIntervalPolicyTests
{
    private static readonly DateTimeOffset Now = new(2018, 12, 17, 21, 1, 39, 689, TimeSpan.Zero);

    [Theory]
    [InlineData(95, null, null, true)]
    [InlineData(60, 75.0, 95.0, false)]
    [InlineData(85, 75.0, null, true)]
    [InlineData(85, 75.0, 95.0, false)]
    [InlineData(97, 75.0, 95.0, true)]
    public void GenerateCanaryAnalysisResultTaskTest_DidPass(double final, double? marginal, double? pass, bool expected) =>
        Assert.Equal(expected, CanaryIntervals.FinalPassed(final, marginal, pass));

    [Fact]
    public void SetupAndExecuteCanariesStageTest_GrowingWindows()
    {
        IReadOnlyList<AnalysisWindow> w = new IntervalSchedule { Start = Now, Lifetime = TimeSpan.FromMinutes(9), AnalysisInterval = TimeSpan.FromMinutes(3) }.GetWindows();
        Assert.Equal(3, w.Count);
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(i, w[i - 1].Index);
            Assert.Equal(Now, w[i - 1].CanaryStart);
            Assert.Equal(Now.AddMinutes(3 * i), w[i - 1].CanaryEnd);
        }
    }

    [Fact]
    public void SetupAndExecuteCanariesStageTest_WarmupDelaysEveryWindow()
    {
        IReadOnlyList<AnalysisWindow> w = new IntervalSchedule { Start = Now, Lifetime = TimeSpan.FromMinutes(9), AnalysisInterval = TimeSpan.FromMinutes(3), BeginAfter = TimeSpan.FromMinutes(4) }.GetWindows();
        Assert.Equal(3, w.Count);
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(Now.AddMinutes(4), w[i - 1].CanaryStart);
            Assert.Equal(Now.AddMinutes((3 * i) + 4), w[i - 1].CanaryEnd);
        }
    }

    [Fact]
    public void SetupAndExecuteCanariesStageTest_ExplicitStartAndEndIgnoreWarmup()
    {
        IReadOnlyList<AnalysisWindow> w = new IntervalSchedule { Start = Now, End = Now.AddMinutes(9), AnalysisInterval = TimeSpan.FromMinutes(3), BeginAfter = TimeSpan.FromMinutes(4) }.GetWindows();
        Assert.Equal(3, w.Count);
        Assert.Equal(Now, w[0].CanaryStart);
        Assert.Equal(Now.AddMinutes(9), w[2].CanaryEnd);
    }

    [Fact]
    public void SetupAndExecuteCanariesStageTest_LookbackSlides()
    {
        IReadOnlyList<AnalysisWindow> w = new IntervalSchedule { Start = Now, Lifetime = TimeSpan.FromMinutes(15), AnalysisInterval = TimeSpan.FromMinutes(5), Lookback = TimeSpan.FromMinutes(5) }.GetWindows();
        Assert.Equal(3, w.Count);
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(Now.AddMinutes(5 * (i - 1)), w[i - 1].CanaryStart);
            Assert.Equal(Now.AddMinutes(5 * i), w[i - 1].CanaryEnd);
        }
    }

    [Fact]
    public void SetupAndExecuteCanariesStageTest_ControlOffset()
    {
        var start = DateTimeOffset.Parse("2018-12-17T20:56:39.689Z", System.Globalization.CultureInfo.InvariantCulture);
        AnalysisWindow w = Assert.Single(new IntervalSchedule { Start = start, Lifetime = TimeSpan.FromMinutes(30), ControlOffset = TimeSpan.FromMinutes(5) }.GetWindows());
        Assert.Equal(start, w.CanaryStart);
        Assert.Equal(DateTimeOffset.Parse("2018-12-17T20:51:39.689Z", System.Globalization.CultureInfo.InvariantCulture), w.BaselineStart);
        Assert.Equal(w.CanaryEnd.AddMinutes(-5), w.BaselineEnd);
    }

    [Fact]
    public void Schedule_IntervalIsCappedAtTheLifetime_AndCountUsesWholeMinutes()
    {
        Assert.Single(new IntervalSchedule { Start = Now, Lifetime = TimeSpan.FromMinutes(30), AnalysisInterval = TimeSpan.FromMinutes(60) }.GetWindows());
        Assert.Equal(3, new IntervalSchedule { Start = Now, Lifetime = TimeSpan.FromMinutes(10), AnalysisInterval = TimeSpan.FromMinutes(3) }.GetWindows().Count);
    }

    [Fact]
    public void Schedule_WithoutLifetimeOrEnd_Throws() =>
        Assert.Equal("Lifetime", Assert.Throws<ArgumentException>(() => new IntervalSchedule { Start = Now }.GetWindows()).ParamName);

    public static TheoryData<double[], double?, double?, bool> AggregateCases => new()
    {
        { [10.5, 40, 60.5], null, 60.5, true },
        { [10.5, 40, 60.5], 5, 55, true },
        { [10.5, 40, 60.5], null, null, true },
        { [10.5, 40, 60.5], null, 70, false },
        { [65], 68, null, false },
        { [65], 5, 60.5, true },
    };

    [Theory]
    [MemberData(nameof(AggregateCases))]
    public void AggregateCanaryResultsTaskSpec(double[] scores, double? marginal, double? pass, bool succeeded) =>
        Assert.Equal(succeeded, CanaryIntervals.Evaluate(scores, marginal, pass).Passed);

    [Fact]
    public void MonitorCanaryTask_StopsAtAScoreEqualToMarginal()
    {
        IntervalOutcome o = CanaryIntervals.Evaluate([80, 75, 99], 75, 95);
        Assert.False(o.Passed);
        Assert.True(o.StoppedEarly);
        Assert.Equal(2, o.JudgedCount);
        Assert.Equal(75, o.FinalScore);
        Assert.Contains("not above the marginal", o.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyTheLastIntervalMustReachPass()
    {
        IntervalOutcome o = CanaryIntervals.Evaluate([80, 76, 96], 75, 95);
        Assert.True(o.Passed);
        Assert.Equal(3, o.JudgedCount);
    }
}

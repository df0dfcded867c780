using Canary.Analysis.Statistics;
using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Tests.Statistics;

/// <summary>Hand-picked and exact checks of <see cref="SequentialProportionTest"/>.</summary>
public sealed class SequentialProportionTestTests
{
    [Theory]
    [InlineData(Alternative.Greater)]
    [InlineData(Alternative.Less)]
    [InlineData(Alternative.TwoSided)]
    public void OneLook_EValueHasExpectationOneUnderTheNull(Alternative alternative)
    {
        // Under H0 the canary's share of the E events of an interval is Binomial(E, s): E[e-value] must be exactly 1.
        const int events = 12;
        const long canaryTrials = 50;
        const long baselineTrials = 950;
        double share = (double)canaryTrials / (canaryTrials + baselineTrials);
        double expectation = 0;
        for (int k = 0; k <= events; k++)
        {
            var look = new SequentialLook(k, canaryTrials, events - k, baselineTrials);
            double e = SequentialProportionTest.Evaluate([look], new SequentialTestOptions { Alternative = alternative }).EValue;
            expectation += Binomial.Density(k, events, share) * e;
        }

        Assert.Equal(1, expectation, 12);
    }

    [Fact]
    public void OneErrorAmongAFewCanaryRequests_IsNotEvidence()
    {
        // A normal approximation calls this z ≈ 4.4; exact counts say one event is weak evidence.
        var looks = new[] { new SequentialLook(1, 5, 0, 95) };

        SequentialTestResult r = SequentialProportionTest.Evaluate(looks);

        Assert.False(r.BoundaryCrossed);
        Assert.True(r.EValue < 20);
        Assert.Equal(Math.Min(1, 1 / r.MaxEValue), r.PValue);
        Assert.Contains("no evidence", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ABrokenCanary_CrossesAtTheFirstLook_AndStaysCrossed()
    {
        var looks = new[]
        {
            new SequentialLook(15, 300, 28, 5_700),
            new SequentialLook(15, 600, 57, 11_400),
            new SequentialLook(15, 900, 85, 17_100),
        };

        SequentialTestResult r = SequentialProportionTest.Evaluate(looks);

        Assert.True(r.BoundaryCrossed);
        Assert.Equal(1, r.CrossingLook);
        Assert.Equal(3, r.Looks);
        Assert.True(r.PValue <= 0.05);
        Assert.Equal(looks[^1], r.Last);
        Assert.Contains("at look 1 of 3", r.Reason, StringComparison.Ordinal);
        Assert.Equal(20, r.Threshold, 12);
    }

    [Fact]
    public void NoLooks_IsNeutral()
    {
        SequentialTestResult r = SequentialProportionTest.Evaluate([]);

        Assert.Equal(1, r.EValue);
        Assert.Equal(1, r.PValue);
        Assert.False(r.BoundaryCrossed);
        Assert.Null(r.Last);
    }

    [Fact]
    public void ABetterCanary_IsEvidenceOnlyForLessOrTwoSided()
    {
        var looks = new[] { new SequentialLook(0, 3_000, 300, 3_000) };

        Assert.False(SequentialProportionTest.Evaluate(looks).BoundaryCrossed);
        Assert.True(SequentialProportionTest.Evaluate(looks, new SequentialTestOptions { Alternative = Alternative.Less }).BoundaryCrossed);
        Assert.True(SequentialProportionTest.Evaluate(looks, new SequentialTestOptions { Alternative = Alternative.TwoSided }).BoundaryCrossed);
    }

    [Fact]
    public void RejectsCounterResetsAndImpossibleCounts_NamingTheParameter()
    {
        var reset = new[] { new SequentialLook(2, 100, 3, 900), new SequentialLook(1, 50, 3, 950) };
        var e = Assert.Throws<ArgumentException>(() => SequentialProportionTest.Evaluate(reset));
        Assert.Equal("cumulativeLooks", e.ParamName);
        Assert.Contains("Look 2", e.Message, StringComparison.Ordinal);

        var impossible = new[] { new SequentialLook(5, 4, 0, 10) };
        Assert.Equal("cumulativeLooks", Assert.Throws<ArgumentException>(() => SequentialProportionTest.Evaluate(impossible)).ParamName);
        Assert.Throws<ArgumentNullException>(() => SequentialProportionTest.Evaluate(null!));
    }

    [Theory]
    [InlineData(0.0, 1.25, 100)]
    [InlineData(1.0, 1.25, 100)]
    [InlineData(0.05, 1.0, 100)]
    [InlineData(0.05, 2, 2)]
    [InlineData(0.05, 2, double.PositiveInfinity)]
    public void RejectsBadOptions(double alpha, double min, double max)
    {
        var options = new SequentialTestOptions { Alpha = alpha, MinimumRateRatio = min, MaximumRateRatio = max };
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => SequentialProportionTest.Evaluate([], options)).ParamName);
    }
}

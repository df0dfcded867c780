using Canary.Analysis.Statistics;

namespace Canary.Analysis.Tests.Statistics;

/// <summary>Hand-picked cases: degenerate inputs, argument errors, and the deliberate deviation from R.</summary>
public sealed class ProportionTests
{
    [Fact]
    public void TwoSample_NoFailuresAnywhere_IsPOne_WhereRGivesNaN()
    {
        ProportionTestResult r = ProportionTest.TwoSample(50, 50, 950, 950);

        Assert.Equal(0, r.Statistic);
        Assert.Equal(1, r.PValue);
        Assert.Equal(0, r.Estimate);
        Assert.Equal(new ConfidenceInterval(0, 0, 0.95), r.ConfidenceInterval);
    }

    [Fact]
    public void TwoSample_NoSuccessesAnywhere_IsPOne()
    {
        ProportionTestResult r = ProportionTest.TwoSample(0, 10, 0, 20, new ProportionTestOptions { Alternative = Alternative.Less });

        Assert.Equal(1, r.PValue);
        Assert.Equal(-1, r.ConfidenceInterval.Lower);
    }

    [Fact]
    public void TwoSample_ReportsProportions()
    {
        ProportionTestResult r = ProportionTest.TwoSample(90, 100, 950, 1000);

        Assert.Equal(0.9, r.CanaryProportion);
        Assert.Equal(0.95, r.BaselineProportion);
        Assert.Null(r.Floor);
        Assert.Equal(0.9 - 0.95, r.Estimate);
        Assert.Contains("X²", r.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 0, 1, 1, "canaryTotal")]
    [InlineData(1, 1, 1, -5, "baselineTotal")]
    [InlineData(3, 2, 1, 1, "canarySuccesses")]
    [InlineData(1, 1, -1, 1, "baselineSuccesses")]
    public void TwoSample_RejectsBadCounts_NamingTheParameter(long x1, long n1, long x2, long n2, string parameter)
    {
        var e = Assert.Throws<ArgumentException>(() => ProportionTest.TwoSample(x1, n1, x2, n2));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(parameter, e.Message, StringComparison.Ordinal);
        var f = Assert.Throws<ArgumentException>(() => FisherExactTest.Test(x1, n1, x2, n2));
        Assert.Equal(parameter, f.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Floor_MustBeStrictlyBetweenZeroAndOne(double floor)
    {
        Assert.Equal("floor", Assert.Throws<ArgumentException>(() => ProportionTest.AgainstFloor(5, 10, floor)).ParamName);
        Assert.Equal("floor", Assert.Throws<ArgumentException>(() => BinomialTest.Test(5, 10, floor)).ParamName);
    }

    [Fact]
    public void Options_AreValidated()
    {
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => ProportionTest.TwoSample(1, 2, 1, 2, new ProportionTestOptions { ConfidenceLevel = 1 })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => BinomialTest.Test(1, 2, 0.5, new ExactTestOptions { Alternative = (Alternative)7 })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => FisherExactTest.Test(1, 2, 1, 2, new ExactTestOptions { ConfidenceLevel = 0 })).ParamName);
    }

    [Fact]
    public void Binomial_AllSuccesses_HasUpperBoundOne()
    {
        BinomialTestResult r = BinomialTest.Test(20, 20, 0.999);

        Assert.Equal(1, r.ConfidenceInterval.Upper);
        Assert.Equal(1, r.PValue);
        Assert.Equal(1.0, r.Estimate);
    }

    [Fact]
    public void Binomial_LargeTrials_IsFast()
    {
        BinomialTestResult r = BinomialTest.Test(999_000_000, 1_000_000_000, 0.999);

        Assert.Equal(1, r.PValue, 6);
        Assert.True(r.ConfidenceInterval.Contains(0.999));
    }

    [Fact]
    public void Fisher_OneEmptyMargin_IsRsAnswer()
    {
        // R: fisher.test(matrix(c(0, 10, 0, 10), 2)) → p = 1, odds ratio 0, interval [0, Inf].
        FisherExactTestResult r = FisherExactTest.Test(0, 10, 0, 10);

        Assert.Equal(1, r.PValue);
        Assert.Equal(0, r.OddsRatio);
        Assert.Equal(0, r.ConfidenceInterval.Lower);
        Assert.Equal(double.PositiveInfinity, r.ConfidenceInterval.Upper);
    }

    [Fact]
    public void Fisher_SwappingCanaryAndBaseline_InvertsTheOddsRatio()
    {
        FisherExactTestResult a = FisherExactTest.Test(3, 20, 9, 25);
        FisherExactTestResult b = FisherExactTest.Test(9, 25, 3, 20);

        Assert.Equal(a.PValue, b.PValue, 12);
        Assert.Equal(1 / a.OddsRatio, b.OddsRatio, 3);
        Assert.Equal(1 / a.ConfidenceInterval.Upper, b.ConfidenceInterval.Lower, 3);
    }
}

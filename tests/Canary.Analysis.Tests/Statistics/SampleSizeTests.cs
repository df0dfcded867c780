using Canary.Analysis.Statistics;

namespace Canary.Analysis.Tests.Statistics;

public sealed class SampleSizeTests
{
    [Fact]
    public void MinimumDuration_15Seconds_Is12AndAHalfMinutes() =>
        Assert.Equal(TimeSpan.FromMinutes(12.5), SampleSize.MinimumDuration(TimeSpan.FromSeconds(15)));

    [Fact]
    public void MinimumDuration_60Seconds_Is50Minutes() =>
        Assert.Equal(TimeSpan.FromMinutes(50), SampleSize.MinimumDuration(TimeSpan.FromSeconds(60)));

    [Fact]
    public void MinimumDuration_CustomDataPoints_Multiplies() =>
        Assert.Equal(TimeSpan.FromMinutes(5), SampleSize.MinimumDuration(TimeSpan.FromSeconds(30), 10));

    [Fact]
    public void MinimumDuration_NonPositiveInterval_ThrowsNamingParameterAndValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.MinimumDuration(TimeSpan.Zero));
        Assert.Equal("scrapeInterval", ex.ParamName);
        Assert.Equal(TimeSpan.Zero, ex.ActualValue);
    }

    [Fact]
    public void MinimumDuration_NonPositiveDataPoints_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.MinimumDuration(TimeSpan.FromSeconds(15), 0));
        Assert.Equal("dataPoints", ex.ParamName);
        Assert.Equal(0, ex.ActualValue);
    }

    [Fact]
    public void MinimumDuration_Overflow_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.MinimumDuration(TimeSpan.FromDays(100_000_000), 1000));

    [Theory]
    [InlineData(750, 15, 50)]
    [InlineData(749.9, 15, 49)]
    [InlineData(0, 15, 0)]
    [InlineData(3000, 60, 50)]
    public void DataPoints_CountsWholePoints(double durationSeconds, double intervalSeconds, int expected) =>
        Assert.Equal(expected, SampleSize.DataPoints(TimeSpan.FromSeconds(durationSeconds), TimeSpan.FromSeconds(intervalSeconds)));

    [Fact]
    public void DataPoints_InvalidArguments_Throw()
    {
        Assert.Equal("duration", Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.DataPoints(TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(15))).ParamName);
        Assert.Equal("scrapeInterval", Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.DataPoints(TimeSpan.FromMinutes(1), TimeSpan.Zero)).ParamName);
    }

    [Fact]
    public void RequestsPerVersion_DesignExample_MatchesR()
    {
        // R: power.prop.test(p1 = 0.995, p2 = 0.95, power = 0.95)$n = 340.2644…
        double n = SampleSize.RequestsPerVersion(0.995, 0.95, power: 0.95);
        Assert.Equal(340.2644, n, 4);
    }

    [Theory]
    [InlineData(0, 0.9, "baselineSuccessRate")]
    [InlineData(1, 0.9, "baselineSuccessRate")]
    [InlineData(0.9, double.NaN, "canarySuccessRate")]
    public void RequestsPerVersion_RateOutsideUnitInterval_Throws(double baseline, double canary, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.RequestsPerVersion(baseline, canary));
        Assert.Equal(parameter, ex.ParamName);
    }

    [Fact]
    public void RequestsPerVersion_InvalidAlphaOrPower_Throws()
    {
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.RequestsPerVersion(0.99, 0.95, alpha: 0)).ParamName);
        Assert.Equal("power", Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.RequestsPerVersion(0.99, 0.95, power: 1)).ParamName);
        Assert.Equal("alternative", Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.RequestsPerVersion(0.99, 0.95, alternative: (Alternative)7)).ParamName);
    }

    [Fact]
    public void RequestsPerVersion_EqualRates_Throws() =>
        Assert.Equal("canarySuccessRate", Assert.Throws<ArgumentException>(() => SampleSize.RequestsPerVersion(0.99, 0.99)).ParamName);

    [Fact]
    public void RequestsPerVersion_OneSidedNeedsFewerRequests() =>
        Assert.True(SampleSize.RequestsPerVersion(0.995, 0.95, alternative: Alternative.Less) < SampleSize.RequestsPerVersion(0.995, 0.95));

    [Fact]
    public void MinimumDetectableDrop_InvertsRequestsPerVersion()
    {
        double n = SampleSize.RequestsPerVersion(0.995, 0.95, power: 0.9);
        double drop = SampleSize.MinimumDetectableDrop(0.995, n, power: 0.9);
        Assert.Equal(0.045, drop, 3);
    }

    [Fact]
    public void MinimumDetectableDrop_TooFewRequests_IsNaN() =>
        Assert.True(double.IsNaN(SampleSize.MinimumDetectableDrop(0.995, 2, power: 0.95)));

    [Fact]
    public void MinimumDetectableDrop_InvalidRequests_Throws() =>
        Assert.Equal("requestsPerVersion", Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.MinimumDetectableDrop(0.99, 0)).ParamName);

    [Fact]
    public void TimeToEvidence_IsLimitedByTheSmallerShare()
    {
        double n = SampleSize.RequestsPerVersion(0.995, 0.95, power: 0.95);
        TimeSpan time = SampleSize.TimeToEvidence(0.3, 0.05, 0.995, 0.95, power: 0.95);
        double expectedSeconds = n / (0.3 * 0.05);
        Assert.InRange(time.TotalSeconds, expectedSeconds, expectedSeconds + 1e-6);
    }

    [Fact]
    public void TimeToEvidence_ExplicitBaselineShare_UsesIt()
    {
        double n = SampleSize.RequestsPerVersion(0.99, 0.95);
        TimeSpan time = SampleSize.TimeToEvidence(10, 0.5, 0.99, 0.95, baselineShare: 0.1);
        Assert.InRange(time.TotalSeconds, n / 1.0, (n / 1.0) + 1e-6);
    }

    [Fact]
    public void TimeToEvidence_NoTraffic_IsMaxValue()
    {
        Assert.Equal(TimeSpan.MaxValue, SampleSize.TimeToEvidence(0, 0.05, 0.995, 0.95));
        Assert.Equal(TimeSpan.MaxValue, SampleSize.TimeToEvidence(100, 1, 0.995, 0.95));
    }

    [Fact]
    public void TimeToEvidence_InvalidArguments_Throw()
    {
        Assert.Equal("requestsPerSecond", Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.TimeToEvidence(-1, 0.05, 0.99, 0.95)).ParamName);
        Assert.Equal("canaryWeight", Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.TimeToEvidence(1, 0, 0.99, 0.95)).ParamName);
        Assert.Equal("baselineShare", Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.TimeToEvidence(1, 0.5, 0.99, 0.95, baselineShare: 0.6)).ParamName);
    }
}

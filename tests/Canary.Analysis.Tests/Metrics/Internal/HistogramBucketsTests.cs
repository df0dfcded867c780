using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Tests.Metrics.Internal;

/// <summary>The bucket rules the PromQL source and the scrape history share: one place decides what a bucket is worth.</summary>
public sealed class HistogramBucketsTests
{
    [Theory]
    [InlineData("0.25", 0.25)]
    [InlineData("+Inf", double.PositiveInfinity)]
    public void A_numeric_bound_with_a_usable_count_is_read(string le, double expected)
    {
        var (warnings, broken) = (new List<string>(), new HashSet<string>());

        var bound = HistogramBuckets.Bound("/api", le, 12, warnings, broken);

        Assert.Equal(expected, bound);
        Assert.Empty(warnings);
        Assert.Empty(broken);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("NaN")]
    public void A_bound_that_is_not_a_number_ignores_the_series_but_not_the_endpoint(string le)
    {
        var (warnings, broken) = (new List<string>(), new HashSet<string>());

        Assert.Null(HistogramBuckets.Bound("/api", le, 12, warnings, broken));
        Assert.Equal($"Endpoint '/api': bucket le=\"{le}\" is not a number and was ignored.", Assert.Single(warnings));
        Assert.Empty(broken);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(9007199254740992)] // 2^53: no longer an exact count
    public void A_count_that_is_not_a_usable_count_breaks_the_endpoint(double count)
    {
        var (warnings, broken) = (new List<string>(), new HashSet<string>());

        Assert.Null(HistogramBuckets.Bound("/api", "0.5", count, warnings, broken));
        Assert.Contains("the endpoint has no usable latency", Assert.Single(warnings), StringComparison.Ordinal);
        Assert.Equal(["/api"], broken);
    }
}

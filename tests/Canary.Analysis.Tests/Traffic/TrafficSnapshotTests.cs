using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Traffic;

public sealed class TrafficSnapshotTests
{
    [Fact]
    public void Constructor_DuplicateEndpoint_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TrafficSnapshot(default, TimeSpan.FromMinutes(1), [new EndpointTraffic("/a", 1, 1), new EndpointTraffic("/a", 2, 2)]));
        Assert.Contains("'/a'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 0, "requests")]
    [InlineData(5, 6, "successes")]
    [InlineData(5, -1, "successes")]
    public void EndpointTraffic_InvalidCounts_ThrowNamingTheArgument(double requests, double successes, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new EndpointTraffic("/a", requests, successes));
        Assert.Equal(parameter, ex.ParamName);
    }

    [Fact]
    public void EndpointTraffic_ZeroRequests_RateIsNaN() => Assert.True(double.IsNaN(new EndpointTraffic("/a", 0, 0).SuccessRate));

    [Fact]
    public void Totals_SumEndpoints()
    {
        var snapshot = new TrafficSnapshot(default, TimeSpan.FromMinutes(1), [new EndpointTraffic("/a", 10, 9), new EndpointTraffic("/b", 30, 30)]);
        Assert.Equal((40d, 39d, 39d / 40d), (snapshot.TotalRequests, snapshot.TotalSuccesses, snapshot.AggregateSuccessRate));
    }
}

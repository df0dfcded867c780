using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Evaluation;

/// <summary><see cref="EndpointWeights.Resolve(IEnumerable{KeyValuePair{string, double}})"/>: the one weight resolution every evaluator uses.</summary>
public sealed class EndpointWeightsResolveTests
{
    private static KeyValuePair<string, double>[] Seen(params (string Name, double Traffic)[] seen) => [.. seen.Select(s => KeyValuePair.Create(s.Name, s.Traffic))];

    [Fact]
    public void Explicit_SeenThenExpected_ListedZeroExcluded_SharesNormalised()
    {
        var weights = new EndpointWeights { ["/pay"] = 0.6, ["/idle"] = 0.2, ["/health"] = 0, DefaultWeight = 0.1 };

        var resolved = weights.Resolve(Seen(("/search", 100), ("/health", 50), ("/pay", 1), ("/search", 7)));

        Assert.Equal(["/search", "/health", "/pay", "/idle"], resolved.Select(r => r.Endpoint));
        Assert.Equal([0.1, 0, 0.6, 0.2], resolved.Select(r => r.Weight));
        Assert.Equal([false, true, false, false], resolved.Select(r => r.IsExcluded));
        Assert.Equal(0.6 / 0.9, resolved.Single(r => r.Endpoint == "/pay").Share, 12);
        Assert.Equal(1, resolved.Sum(r => r.Share), 12);
    }

    [Fact]
    public void Equal_EveryEndpointCountsOne_ExceptListedZero()
    {
        var weights = EndpointWeights.Equal();
        weights["/health"] = 0;
        weights["/pay"] = 5;

        var resolved = weights.Resolve(Seen(("/a", 0), ("/health", 9)));

        Assert.Equal(["/a", "/health", "/pay"], resolved.Select(r => r.Endpoint));
        Assert.Equal([0.5, 0, 0.5], resolved.Select(r => r.Share));
    }

    [Fact]
    public void TrafficWeighted_SilentExcludedUnlessExpected_InvalidJudgedWithoutWeight()
    {
        var weights = EndpointWeights.TrafficWeighted();
        weights["/pay"] = 1;
        weights["/health"] = 0;

        var resolved = weights.Resolve(Seen(("/busy", 300), ("/silent", 0), ("/broken", double.NaN), ("/health", 100)));

        Assert.Equal(["/busy", "/silent", "/broken", "/health", "/pay"], resolved.Select(r => r.Endpoint));
        Assert.Equal([false, true, false, true, false], resolved.Select(r => r.IsExcluded));
        Assert.Equal([300, 0, 0, 0, 0], resolved.Select(r => r.Weight));
        Assert.Equal([1, 0, 0, 0, 0], resolved.Select(r => r.Share));
    }

    [Fact]
    public void Snapshot_CountsNotValid_AreJudgedWithoutWeight_NothingWeighed_SharesZero()
    {
        var snapshot = new TrafficSnapshot(DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1), [new EndpointTraffic("/a", 1e16, 1e16)]);

        var resolved = EndpointWeights.TrafficWeighted().Resolve(snapshot);

        Assert.Equal(new WeightedEndpoint("/a", 0, 0, false), Assert.Single(resolved));
        Assert.Empty(new EndpointWeights().Resolve(Seen()));
    }
}

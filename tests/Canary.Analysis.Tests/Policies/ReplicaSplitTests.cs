using Canary.Analysis.Policies;

namespace Canary.Analysis.Tests.Policies;

public sealed class ReplicaSplitTests
{
    /// <summary>
    /// Argo Rollouts' own table, utils/replicaset/canary_test.go TestApproximateWeightedNewStableReplicaCounts
    /// (replicas, weight, maxSurge in pods → canary, stable); the upstream table lists (10, 0, 1) twice.
    /// </summary>
    [Theory]
    [InlineData(0, 0, 0, 0, 0)]
    [InlineData(0, 50, 0, 0, 0)]
    [InlineData(0, 100, 0, 0, 0)]
    [InlineData(0, 0, 1, 0, 0)]
    [InlineData(0, 50, 1, 0, 0)]
    [InlineData(0, 100, 1, 0, 0)]
    [InlineData(1, 0, 0, 0, 1)]
    [InlineData(1, 1, 0, 0, 1)]
    [InlineData(1, 49, 0, 0, 1)]
    [InlineData(1, 50, 0, 1, 0)]
    [InlineData(1, 99, 0, 1, 0)]
    [InlineData(1, 100, 0, 1, 0)]
    [InlineData(1, 0, 1, 0, 1)]
    [InlineData(1, 1, 1, 1, 1)]
    [InlineData(1, 49, 1, 1, 1)]
    [InlineData(1, 50, 1, 1, 1)]
    [InlineData(1, 99, 1, 1, 1)]
    [InlineData(1, 100, 1, 1, 0)]
    [InlineData(2, 0, 0, 0, 2)]
    [InlineData(2, 1, 0, 1, 1)]
    [InlineData(2, 50, 0, 1, 1)]
    [InlineData(2, 99, 0, 1, 1)]
    [InlineData(2, 100, 0, 2, 0)]
    [InlineData(2, 0, 1, 0, 2)]
    [InlineData(2, 1, 1, 1, 2)]
    [InlineData(2, 50, 1, 1, 1)]
    [InlineData(2, 99, 1, 2, 1)]
    [InlineData(2, 100, 1, 2, 0)]
    [InlineData(3, 10, 0, 1, 2)]
    [InlineData(3, 25, 0, 1, 2)]
    [InlineData(3, 33, 0, 1, 2)]
    [InlineData(3, 34, 0, 1, 2)]
    [InlineData(3, 49, 0, 1, 2)]
    [InlineData(3, 50, 0, 2, 1)]
    [InlineData(3, 10, 1, 1, 3)]
    [InlineData(3, 25, 1, 1, 3)]
    [InlineData(3, 33, 1, 1, 2)]
    [InlineData(3, 34, 1, 1, 2)]
    [InlineData(3, 49, 1, 2, 2)]
    [InlineData(3, 50, 1, 2, 2)]
    [InlineData(10, 0, 1, 0, 10)]
    [InlineData(10, 1, 0, 1, 9)]
    [InlineData(10, 14, 0, 1, 9)]
    [InlineData(10, 15, 0, 2, 8)]
    [InlineData(10, 16, 0, 2, 8)]
    [InlineData(10, 99, 0, 9, 1)]
    [InlineData(10, 100, 1, 10, 0)]
    [InlineData(10, 1, 1, 1, 10)]
    [InlineData(10, 18, 1, 2, 9)]
    [InlineData(10, 19, 1, 2, 9)]
    [InlineData(10, 20, 1, 2, 8)]
    [InlineData(10, 23, 1, 2, 8)]
    [InlineData(10, 24, 1, 3, 8)]
    [InlineData(10, 25, 1, 3, 8)]
    [InlineData(10, 99, 1, 10, 1)]
    public void ForWeight_ArgoRolloutsFixture(int replicas, int weight, int maxSurge, int canary, int stable)
    {
        var split = ReplicaSplit.ForWeight(replicas, weight, maxSurge);
        Assert.Equal((canary, stable), (split.Canary, split.Stable));
    }

    /// <summary>The worked table with Argo's default surge (25 % of replicas rounded up).</summary>
    [Theory]
    [InlineData(10, 5, 1, 10, 100.0 / 11)]
    [InlineData(4, 5, 1, 4, 20.0)]
    [InlineData(20, 10, 2, 18, 10.0)]
    [InlineData(10, 25, 3, 8, 300.0 / 11)]
    [InlineData(3, 50, 2, 2, 50.0)]
    [InlineData(1, 5, 1, 1, 50.0)]
    public void ForWeight_DefaultSurge_WorkedExamples(int replicas, int weight, int canary, int stable, double effective)
    {
        var split = ReplicaSplit.ForWeight(replicas, weight);
        Assert.Equal((canary, stable), (split.Canary, split.Stable));
        Assert.Equal(effective, split.EffectiveWeight, 12);
        Assert.False(split.IsTrafficRouted);
    }

    [Fact]
    public void ForWeight_FivePercentOnFourReplicas_IsReallyTwentyPercent()
    {
        var split = ReplicaSplit.ForWeight(4, 5, maxSurge: 0);
        Assert.Equal((1, 3, 25.0), (split.Canary, split.Stable, split.EffectiveWeight));
        Assert.Equal("5 % of 4 replicas: 1 canary / 3 stable = 25 %", split.ToString());
    }

    [Theory]
    [InlineData(10, 5, false, 1, 10)]
    [InlineData(4, 5, false, 1, 4)]
    [InlineData(20, 10, true, 2, 18)]
    [InlineData(10, 25, true, 3, 8)]
    [InlineData(3, 50, true, 2, 2)]
    [InlineData(10, 33, false, 4, 10)]
    public void ForTrafficRoutedWeight_ArgoCounts(int replicas, int weight, bool dynamic, int canary, int stable)
    {
        var split = ReplicaSplit.ForTrafficRoutedWeight(replicas, weight, dynamic);
        Assert.Equal((canary, stable), (split.Canary, split.Stable));
        Assert.Equal(weight, split.EffectiveWeight);
        Assert.True(split.IsTrafficRouted);
    }

    [Theory]
    [InlineData(-1, 5, null, "replicas")]
    [InlineData(3, 101, null, "weightPercent")]
    [InlineData(3, -1, null, "weightPercent")]
    [InlineData(3, 5, -1, "maxSurge")]
    public void ForWeight_OutOfRange_ThrowsNamingTheArgument(int replicas, int weight, int? surge, string parameter) =>
        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => ReplicaSplit.ForWeight(replicas, weight, surge)).ParamName);
}

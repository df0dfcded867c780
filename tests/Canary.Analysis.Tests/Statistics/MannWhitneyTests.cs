using Canary.Analysis.Statistics;
using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Tests.Statistics;

public sealed class MannWhitneyTests
{
    [Fact]
    public void Test_NaNValuesAreRemoved_AsR()
    {
        // R: wilcox.test(c(1.2, 3.4, 2.2, 5.1, 0.7), c(2.5, 3.3, 4.1, 1.9), conf.int = TRUE)
        MannWhitneyResult r = MannWhitney.Test([1.2, double.NaN, 3.4, 2.2, 5.1, 0.7], [2.5, 3.3, double.NaN, 4.1, 1.9]);
        Assert.True(r.IsExact);
        Assert.Equal(5, r.CanaryCount);
        Assert.Equal(4, r.BaselineCount);
        Assert.Equal(8, r.Statistic);
        Assert.Equal(0.73015873015873023, r.PValue, 14);
        Assert.Equal(-0.69999999999999984, r.Estimate, 14);
        Assert.Equal(-2.8999999999999995, r.ConfidenceInterval.Lower, 14);
        Assert.Equal(2.5999999999999996, r.ConfidenceInterval.Upper, 14);
    }

    [Fact]
    public void Test_KayentaSmallCase_IsExactLikeR()
    {
        MannWhitneyResult r = MannWhitney.Test([10.0, 20.0, 30.0, 40.0], [1.0, 2.0, 3.0, 4.0]);
        Assert.True(r.IsExact);
        Assert.Equal(16, r.Statistic);
        Assert.Equal(22.5, r.Estimate);
    }

    [Fact]
    public void Test_EmptyCanary_ThrowsNamingTheSide() =>
        Assert.Equal("canary", Assert.Throws<ArgumentException>(() => MannWhitney.Test([], [1.0, 2.0])).ParamName);

    [Fact]
    public void Test_AllNaNBaseline_ThrowsNamingTheSide() =>
        Assert.Equal("baseline", Assert.Throws<ArgumentException>(() => MannWhitney.Test([1.0], [double.NaN, double.NaN])).ParamName);

    [Fact]
    public void Test_InfiniteValue_Throws() =>
        Assert.Equal("canary", Assert.Throws<ArgumentException>(() => MannWhitney.Test([1.0, double.PositiveInfinity], [1.0, 2.0])).ParamName);

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Test_InvalidConfidenceLevel_Throws(double level) =>
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => MannWhitney.Test([1.0, 2.0], [3.0], new MannWhitneyOptions { ConfidenceLevel = level })).ParamName);

    [Fact]
    public void Test_InvalidMuOrAlternative_Throws()
    {
        Assert.Throws<ArgumentException>(() => MannWhitney.Test([1.0], [2.0], new MannWhitneyOptions { Mu = double.NaN }));
        Assert.Throws<ArgumentException>(() => MannWhitney.Test([1.0], [2.0], new MannWhitneyOptions { Alternative = (Alternative)9 }));
    }

    [Fact]
    public void Test_ForcedExactOnHugeSamples_Throws()
    {
        double[] x = Enumerable.Range(0, 101).Select(i => i + 0.5).ToArray();
        double[] y = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        Assert.Throws<ArgumentException>(() => MannWhitney.Test(x, y, new MannWhitneyOptions { Exact = true }));
    }

    [Fact]
    public void Test_AllValuesEqual_PValueOneAndZeroShift()
    {
        MannWhitneyResult r = MannWhitney.Test([5.0, 5.0, 5.0], [5.0, 5.0]);
        Assert.False(r.IsExact);
        Assert.Equal(3, r.Statistic);
        Assert.Equal(1, r.PValue);
        Assert.Equal(0, r.Estimate);
        Assert.Equal(new ConfidenceInterval(0, 0, 0.95), r.ConfidenceInterval);
    }

    [Fact]
    public void Test_ConstantSamples_PValueAsRAndExactShift()
    {
        // R: wilcox.test(rep(2, 8), rep(3, 6))$p.value; R cannot compute the interval here.
        MannWhitneyResult r = MannWhitney.Test(Enumerable.Repeat(2.0, 8).ToArray(), Enumerable.Repeat(3.0, 6).ToArray(), new MannWhitneyOptions { Alternative = Alternative.Less });
        Assert.Equal(0.00020743798172699664, r.PValue, 15);
        Assert.Equal(-1, r.Estimate);
        Assert.Equal(double.NegativeInfinity, r.ConfidenceInterval.Lower);
        Assert.Equal(-1, r.ConfidenceInterval.Upper);
    }

    [Fact]
    public void Test_OneSided_IntervalIsOpenOnOneSide()
    {
        double[] x = [1.1, 2.3, 3.8, 4.2, 5.9];
        double[] y = [0.4, 1.7, 2.2, 2.9];
        Assert.Equal(double.PositiveInfinity, MannWhitney.Test(x, y, new MannWhitneyOptions { Alternative = Alternative.Greater }).ConfidenceInterval.Upper);
        Assert.Equal(double.NegativeInfinity, MannWhitney.Test(x, y, new MannWhitneyOptions { Alternative = Alternative.Less }).ConfidenceInterval.Lower);
    }

    [Fact]
    public void ShiftedRankSum_MatchesBruteForce()
    {
        var random = new Random(12345);
        for (int trial = 0; trial < 200; trial++)
        {
            double[] x = Enumerable.Range(0, random.Next(1, 30)).Select(_ => Math.Round(random.NextDouble() * 10, 1)).Order().ToArray();
            double[] y = Enumerable.Range(0, random.Next(1, 30)).Select(_ => Math.Round(random.NextDouble() * 10, 1)).Order().ToArray();
            var f = new ShiftedRankSum(x, y);
            foreach (double d in new[] { 0.0, 0.1, -0.3, 2.5, 1e17, -7.0, 0.1 })
            {
                f.Evaluate(d, out long twiceU, out long ties);
                long expectedU = 0;
                foreach (double xi in x)
                {
                    foreach (double yj in y)
                    {
                        double v = xi - d;
                        expectedU += v > yj ? 2 : v == yj ? 1 : 0;
                    }
                }

                long expectedTies = x.Select(xi => xi - d).Concat(y).GroupBy(v => v).Sum(g => ((long)g.Count() * g.Count() * g.Count()) - g.Count());
                Assert.Equal(expectedU, twiceU);
                Assert.Equal(expectedTies, ties);
            }
        }
    }

    [Fact]
    public void WilcoxonDistribution_CountsSumToBinomial()
    {
        var distribution = new WilcoxonDistribution(7, 5);
        double total = Enumerable.Range(0, 36).Sum(distribution.Count);
        Assert.Equal(792, total);
        Assert.Equal(1, distribution.Cdf(35));
        Assert.Equal(1.0 / 792, distribution.Cdf(0), 15);
    }
}

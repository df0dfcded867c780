using System.Text.Json;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Tests.Statistics;

/// <summary>
/// <see cref="BinomialConfidenceSequence"/> and <see cref="NonInferiorityBound"/> against independent oracles: SciPy's
/// root of the same mixture equation (<c>Reference/generate-confidence-sequence.py</c>), Clopper–Pearson's fixed-n bound
/// (never above the always-valid one), and seeded simulation of their coverage at every look (2 000 runs each).
/// </summary>
public sealed class BinomialConfidenceSequenceTests
{
    private const int Runs = 2000;

    private static readonly Lazy<JsonElement[]> Cases = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Statistics", "Reference", "scipy-confidence-sequence.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone())];
    });

    public static IEnumerable<object[]> CaseIndices => Enumerable.Range(0, Cases.Value.Length).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Bounds_MatchSciPy_AndAreNeverInsideClopperPearson(int index)
    {
        var c = Cases.Value[index];
        var (events, trials, alpha) = (c.GetProperty("events").GetDouble(), c.GetProperty("trials").GetDouble(), c.GetProperty("alpha").GetDouble());

        var upper = BinomialConfidenceSequence.Upper(events, trials, alpha);
        var lower = BinomialConfidenceSequence.Lower(events, trials, alpha);

        Assert.Equal(c.GetProperty("upper").GetDouble(), upper, 1e-12);
        Assert.Equal(c.GetProperty("lower").GetDouble(), lower, 1e-12);
        Assert.True(upper >= c.GetProperty("clopper_pearson_upper").GetDouble() - 1e-12, $"{c}: {upper}");
        Assert.InRange(events / trials, lower, upper);
    }

    [Fact]
    public void TheBoundsAreWhereTheEValueReachesOneOverAlpha()
    {
        var upper = BinomialConfidenceSequence.Upper(3, 400, 0.05);
        var lower = BinomialConfidenceSequence.Lower(3, 400, 0.05);

        Assert.Equal(Math.Log(20), BinomialConfidenceSequence.LogEValue(3, 400, upper), 1e-9);
        Assert.Equal(Math.Log(20), BinomialConfidenceSequence.LogEValue(3, 400, lower), 1e-9);
        Assert.True(BinomialConfidenceSequence.LogEValue(3, 400, 3 / 400.0) < 0);
        Assert.Equal(double.PositiveInfinity, BinomialConfidenceSequence.LogEValue(3, 400, 0));
    }

    [Fact]
    public void WithoutTrials_NothingIsBounded()
    {
        Assert.Equal(1, BinomialConfidenceSequence.Upper(0, 0, 0.05));
        Assert.Equal(0, BinomialConfidenceSequence.Lower(0, 0, 0.05));
        Assert.Equal(1, NonInferiorityBound.Stratum(0, 0, 0, 0, 0.05));
    }

    [Theory]
    [InlineData(-1, 10, 0.05)]
    [InlineData(11, 10, 0.05)]
    [InlineData(1, double.PositiveInfinity, 0.05)]
    [InlineData(double.NaN, 10, 0.05)]
    [InlineData(1, 10, 0)]
    [InlineData(1, 10, 1)]
    [InlineData(1, 10, double.NaN)]
    public void InvalidInput_Throws(double events, double trials, double alpha) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialConfidenceSequence.Upper(events, trials, alpha));

    [Fact]
    public void Weighted_SplitsAlphaByWeight_AndRejectsBadWeights()
    {
        IntervalCounts[] counts = [new(1, 100, 50, 10000), new(0, 0, 0, 0), new(2, 300, 10, 1000)];
        var strata = new double[3];

        var bound = NonInferiorityBound.Weighted(counts, [1, 0, 3], 0.1, strata);

        Assert.Equal(NonInferiorityBound.Stratum(1, 100, 50, 10000, 0.025), strata[0], 1e-15);
        Assert.True(double.IsNaN(strata[1]));
        Assert.Equal(NonInferiorityBound.Stratum(2, 300, 10, 1000, 0.075), strata[2], 1e-15);
        Assert.Equal((0.25 * strata[0]) + (0.75 * strata[2]), bound, 1e-15);
        Assert.Throws<ArgumentException>(() => NonInferiorityBound.Weighted(counts, [1, -1, 1], 0.1, strata));
        Assert.Throws<ArgumentException>(() => NonInferiorityBound.Weighted(counts, [0, 0, 0], 0.1, strata));
        Assert.Throws<ArgumentException>(() => NonInferiorityBound.Weighted(counts, [1, 1], 0.1, strata));
    }

    [Fact]
    public void Weighted_WithDispersions_ReadsEachStratumsCountsDividedByItsDispersion()
    {
        IntervalCounts[] counts = [new(10, 1000, 500, 100000), new(20, 3000, 100, 10000)];
        var (strata, independent) = (new double[2], new double[2]);

        var bound = NonInferiorityBound.Weighted(counts, [1, 3], 0.1, [4, 1], strata);
        var unchanged = NonInferiorityBound.Weighted(counts, [1, 3], 0.1, [], independent);

        Assert.Equal(NonInferiorityBound.Stratum(2.5, 250, 125, 25000, 0.025), strata[0], 1e-15);
        Assert.Equal(NonInferiorityBound.Stratum(20, 3000, 100, 10000, 0.075), strata[1], 1e-15);
        Assert.Equal((0.25 * strata[0]) + (0.75 * strata[1]), bound, 1e-15);
        Assert.Equal(NonInferiorityBound.Weighted(counts, [1, 3], 0.1, independent), unchanged, 1e-15);
        Assert.InRange(strata[0] / independent[0], 1.6, 2.6); // about √4 wider
        Assert.Throws<ArgumentOutOfRangeException>(() => NonInferiorityBound.Weighted(counts, [1, 3], 0.1, [0.5, 1], strata));
        Assert.Throws<ArgumentOutOfRangeException>(() => NonInferiorityBound.Weighted(counts, [1, 3], 0.1, [double.NaN, 1], strata));
        Assert.Throws<ArgumentOutOfRangeException>(() => NonInferiorityBound.Weighted(counts, [1, 3], 0.1, [double.PositiveInfinity, 1], strata));
        var mismatch = Assert.Throws<ArgumentException>(() => NonInferiorityBound.Weighted(counts, [1, 3], 0.1, [1], strata));
        Assert.Contains("not 2, 2, 1 and 2", mismatch.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// One rate, 200 looks with batch sizes drawn independently of the outcomes: the rate leaves the always-valid interval
    /// (either side) at some look in at most α of 2 000 runs; Clopper–Pearson's fixed-n bound read at every look does not
    /// hold its α, so the simulation can tell.
    /// </summary>
    [Theory]
    [InlineData(0.005, 0.05)]
    [InlineData(0.2, 0.1)]
    public void Coverage_HoldsAtEveryLook(double rate, double alpha)
    {
        var random = new Random(20261206);
        int missedUpper = 0, missedLower = 0, fixedNMissed = 0;
        for (var run = 0; run < Runs; run++)
        {
            double events = 0, trials = 0;
            bool upperMissed = false, lowerMissed = false, fixedMissed = false;
            for (var look = 0; look < 200; look++)
            {
                var batch = random.Next(1, 60);
                for (var i = 0; i < batch; i++)
                {
                    events += random.NextDouble() < rate ? 1 : 0;
                }

                trials += batch;
                upperMissed |= BinomialConfidenceSequence.Upper(events, trials, alpha) < rate;
                lowerMissed |= BinomialConfidenceSequence.Lower(events, trials, alpha) > rate;
                fixedMissed |= events < trials && MathNet.Numerics.Distributions.Beta.InvCDF(events + 1, trials - events, 1 - alpha) < rate;
            }

            missedUpper += upperMissed ? 1 : 0;
            missedLower += lowerMissed ? 1 : 0;
            fixedNMissed += fixedMissed ? 1 : 0;
        }

        Assert.True(missedUpper <= Allowed(alpha), $"upper bound missed in {missedUpper}/{Runs} runs");
        Assert.True(missedLower <= Allowed(alpha), $"lower bound missed in {missedLower}/{Runs} runs");
        Assert.True(fixedNMissed > Allowed(alpha), $"Clopper–Pearson at every look missed in only {fixedNMissed}/{Runs} runs");
    }

    /// <summary>Three strata, canary worse on one: the weighted difference is above the weighted bound at some look in at most α of 2 000 runs.</summary>
    [Fact]
    public void Weighted_Coverage_HoldsAtEveryLook()
    {
        const double Alpha = 0.1;
        double[] weights = [0.2, 0.4, 0.4];
        double[] canaryRates = [0.05, 0.01, 0.3];
        double[] baselineRates = [0.01, 0.01, 0.3];
        var truth = 0.2 * 0.04;
        var random = new Random(7);
        var missed = 0;
        var strata = new double[3];
        for (var run = 0; run < Runs; run++)
        {
            var counts = new IntervalCounts[3];
            var any = false;
            for (var look = 0; look < 100; look++)
            {
                for (var s = 0; s < 3; s++)
                {
                    var (cn, bn) = (random.Next(0, 8), random.Next(0, 80));
                    var (ce, be) = (Draw(random, cn, canaryRates[s]), Draw(random, bn, baselineRates[s]));
                    var c = counts[s];
                    counts[s] = new IntervalCounts(c.CanaryEvents + ce, c.CanaryTrials + cn, c.BaselineEvents + be, c.BaselineTrials + bn);
                }

                any |= NonInferiorityBound.Weighted(counts, weights, Alpha, strata) < truth;
            }

            missed += any ? 1 : 0;
        }

        Assert.True(missed <= Allowed(Alpha), $"missed in {missed}/{Runs} runs");
    }

    private static long Draw(Random random, int trials, double rate)
    {
        var events = 0L;
        for (var i = 0; i < trials; i++)
        {
            events += random.NextDouble() < rate ? 1 : 0;
        }

        return events;
    }

    /// <summary>α of the runs plus 2.33 binomial standard deviations (a one-sided 99 % allowance for simulation noise).</summary>
    private static double Allowed(double alpha) => (alpha * Runs) + (2.33 * Math.Sqrt(Runs * alpha * (1 - alpha)));
}

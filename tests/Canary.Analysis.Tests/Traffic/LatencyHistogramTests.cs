using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Traffic;

public sealed class LatencyHistogramTests
{
    private static readonly (double, double)[] Ordinary = [(0.1, 10), (0.5, 30), (1, 45), (double.PositiveInfinity, 50)];

    [Theory]
    [InlineData(0.5, 0.1 + (0.4 * (15.0 / 20)))]    // rank 25 falls in (0.1, 0.5]: 15 of its 20
    [InlineData(0.1, 0.1 * (5.0 / 10))]            // rank 5 in the first bucket, from 0
    [InlineData(0.9, 1.0)]                          // rank 45 exactly at the top of (0.5, 1]
    [InlineData(0.95, 1.0)]                         // rank 47.5 in +Inf: the highest finite bound
    [InlineData(0, 0.0)]
    public void Quantile_InterpolatesLinearlyWithinTheBucket(double q, double expected) =>
        Assert.Equal(expected, new LatencyHistogram(Ordinary).Quantile(q), 12);

    [Fact]
    public void Quantile_BucketsInAnyOrder_SameResult()
    {
        var shuffled = new LatencyHistogram([(1, 45), (double.PositiveInfinity, 50), (0.1, 10), (0.5, 30)]);
        Assert.Equal(new LatencyHistogram(Ordinary).Quantile(0.5), shuffled.Quantile(0.5));
    }

    [Theory]
    [InlineData(double.NaN, double.NaN)]
    [InlineData(-0.1, double.NegativeInfinity)]
    [InlineData(1.1, double.PositiveInfinity)]
    public void Quantile_OutOfRangeQ_AsPrometheus(double q, double expected) =>
        Assert.Equal(expected, new LatencyHistogram(Ordinary).Quantile(q));

    [Fact]
    public void Quantile_UnusableHistograms_NaN()
    {
        Assert.True(double.IsNaN(new LatencyHistogram([(0.1, 1), (1, 2)]).Quantile(0.5)));              // no +Inf
        Assert.True(double.IsNaN(new LatencyHistogram([(double.PositiveInfinity, 5)]).Quantile(0.5)));  // one bucket
        Assert.True(double.IsNaN(new LatencyHistogram([(1, 0), (double.PositiveInfinity, 0)]).Quantile(0.5)));
        Assert.True(double.IsNaN(new LatencyHistogram([]).Quantile(0.5)));
    }

    [Fact]
    public void Quantile_FirstBoundNotPositive_ReturnsThatBound() =>
        Assert.Equal(-1, new LatencyHistogram([(-1, 5), (1, 10), (double.PositiveInfinity, 10)]).Quantile(0.2));

    [Fact]
    public void Quantile_NonMonotonicCounts_UseRunningMaximum()
    {
        // (0.5, 8) is lifted to 10, so rank 10.5 of 12 lands in (0.5, 1] holding 2: 0.5 + 0.5 · 0.5/2.
        var histogram = new LatencyHistogram([(0.1, 10), (0.5, 8), (1, 12), (double.PositiveInfinity, 12)]);
        Assert.Equal(0.625, histogram.Quantile(0.875), 12);
    }

    [Fact]
    public void Quantile_DuplicateBounds_AreAdded()
    {
        var split = new LatencyHistogram([(0.5, 3), (0.5, 2), (1, 10), (double.PositiveInfinity, 10)]);
        var joined = new LatencyHistogram([(0.5, 5), (1, 10), (double.PositiveInfinity, 10)]);
        Assert.Equal(joined.Quantile(0.7), split.Quantile(0.7));
    }

    [Fact]
    public void Mean_IsSumOverCount()
    {
        var histogram = new LatencyHistogram(Ordinary, sum: 20);
        Assert.Equal((50d, 20d, 0.4), (histogram.Count, histogram.Sum, histogram.Mean));
        Assert.True(double.IsNaN(new LatencyHistogram(Ordinary).Mean));
    }

    [Theory]
    [InlineData(double.NaN, 1)]
    [InlineData(1, double.NaN)]
    [InlineData(1, double.PositiveInfinity)]
    public void Constructor_NaNBoundOrNonFiniteCount_Throws(double bound, double count) =>
        Assert.Throws<ArgumentException>(() => new LatencyHistogram([(bound, count), (double.PositiveInfinity, 5)]));

    [Fact]
    public void Merge_AddsCountsAndSumsPerBound()
    {
        var a = new LatencyHistogram([(0.1, 1), (1, 3), (double.PositiveInfinity, 4)], sum: 2);
        var b = new LatencyHistogram([(0.1, 2), (0.5, 4), (double.PositiveInfinity, 6)], sum: 3);

        var merged = LatencyHistogram.Merge([a, b]);

        Assert.Equal([(0.1, 3d), (0.5, 4d), (1, 3d), (double.PositiveInfinity, 10d)], merged.Buckets);
        Assert.Equal((10d, 5d), (merged.Count, merged.Sum));
    }

    [Fact]
    public void Properties_SeededRandomHistograms_HoldInvariants()
    {
        var random = new Random(20260101);
        for (var iteration = 0; iteration < 500; iteration++)
        {
            var histogram = RandomHistogram(random);
            var previous = double.NegativeInfinity;
            for (var q = 0.0; q <= 1.0; q += 0.05)
            {
                var value = histogram.Quantile(q);
                if (double.IsNaN(value))
                {
                    // As in Prometheus: no observations, or q = 0 landing in an empty first bucket (0/0).
                    Assert.True(histogram.Count == 0 || (q == 0 && histogram.Buckets[0].CumulativeCount == 0), $"iteration {iteration}: NaN at q={q}");
                    continue;
                }

                // Monotone in q and never outside the finite bounds (or 0 below the first positive bound).
                Assert.True(value >= previous, $"iteration {iteration}: q={q} gave {value} < {previous}");
                var finite = histogram.Buckets.Where(b => double.IsFinite(b.UpperBound)).Select(b => b.UpperBound).ToArray();
                Assert.InRange(value, Math.Min(0, finite.Min()), finite.Max());
                previous = value;
            }

            // Merging a histogram with itself doubles counts but leaves every quantile unchanged.
            var doubled = LatencyHistogram.Merge([histogram, histogram]);
            Assert.Equal(2 * histogram.Count, doubled.Count);
            foreach (var q in new[] { 0.1, 0.5, 0.9, 0.99 })
            {
                var expected = histogram.Quantile(q);
                var actual = doubled.Quantile(q);
                Assert.True(double.IsNaN(expected) ? double.IsNaN(actual) : Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"q={q}: {expected} vs {actual}");
            }
        }
    }

    private static LatencyHistogram RandomHistogram(Random random)
    {
        var count = random.Next(2, 18);
        var buckets = new List<(double, double)>();
        double cumulative = 0;
        for (var i = 0; i < count - 1; i++)
        {
            cumulative += random.Next(0, 4) == 0 ? 0 : random.NextDouble() * 100;
            buckets.Add((0.001 * Math.Pow(2, i), cumulative));
        }

        buckets.Add((double.PositiveInfinity, cumulative + (random.NextDouble() * 10)));
        return new LatencyHistogram(buckets.OrderBy(_ => random.Next()));
    }
}

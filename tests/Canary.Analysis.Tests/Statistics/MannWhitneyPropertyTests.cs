using Canary.Analysis.Statistics;

namespace Canary.Analysis.Tests.Statistics;

/// <summary>
/// Seeded property tests of <see cref="MannWhitney.Test"/> (issue 4, "Proof"): symmetry under swapping the samples,
/// invariance to shifting both samples, equivariance of the estimate and interval to shifting the canary, monotonicity of
/// the one-sided p-values in that shift, and agreement of the exact and normal branches on large tie-free samples.
/// </summary>
/// <remarks>
/// The exact branch works on order statistics of pairwise differences, so on dyadic data (multiples of 1/64, where every
/// sum and difference is exact in binary floating point) its results must be equal, not just close. The normal branch finds
/// its interval bounds and estimate with Brent's method to R's <c>tol.root = 1e-4</c>, on a step function; two runs on
/// mirrored or shifted problems stop at different iterates within that tolerance of the same jump, so they are compared to
/// <see cref="RootTolerance"/>. Sample sizes in the normal branch are odd × odd so that the uncorrected statistic is never
/// exactly zero on an interval (which would make the estimate any point of that interval).
/// </remarks>
public sealed class MannWhitneyPropertyTests
{
    private const double RootTolerance = 2.5e-4;
    private const int Seeds = 20;

    private static readonly MannWhitneyOptions ExactOptions = new() { Exact = true };
    private static readonly MannWhitneyOptions NormalOptions = new() { Exact = false };

    /// <summary>Continuous values: a sum of three uniforms scaled to about [−3, 3], plus <paramref name="offset"/>.</summary>
    private static double[] Continuous(Random random, int n, double offset = 0)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = offset + (2 * (random.NextDouble() + random.NextDouble() + random.NextDouble())) - 3;
        }

        return values;
    }

    /// <summary>
    /// Distinct multiples of 1/64 (<paramref name="halfGrid"/> false) or odd multiples of 1/128 (true) in about [−8, 8]:
    /// values from the two grids never tie, also after shifting either by a multiple of 1/64.
    /// </summary>
    private static double[] Dyadic(Random random, int n, bool halfGrid)
    {
        var used = new HashSet<int>();
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            int k;
            do
            {
                k = random.Next(-512, 512);
            }
            while (!used.Add(k));

            values[i] = (k / 64.0) + (halfGrid ? 1 / 128.0 : 0);
        }

        return values;
    }

    private static double[] Add(double[] values, double constant) => values.Select(v => v + constant).ToArray();

    private static MannWhitneyOptions With(MannWhitneyOptions options, Alternative alternative, double mu = 0) =>
        new() { Exact = options.Exact, Alternative = alternative, Mu = mu, ConfidenceLevel = options.ConfidenceLevel };

    private static void Near(double expected, double actual, double tolerance, string what)
    {
        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            Assert.True(expected == actual, $"{what}: expected {expected}, got {actual}");
            return;
        }

        Assert.True(Math.Abs(expected - actual) <= tolerance + (1e-12 * Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");
    }

    [Fact]
    public void Swap_ExactBranch_MirrorsEstimateAndIntervalExactly_AndKeepsP()
    {
        for (int seed = 0; seed < Seeds; seed++)
        {
            var random = new Random(seed);
            double[] x = Continuous(random, random.Next(3, 30));
            double[] y = Continuous(random, random.Next(3, 30), offset: 0.5);

            MannWhitneyResult xy = MannWhitney.Test(x, y, ExactOptions);
            MannWhitneyResult yx = MannWhitney.Test(y, x, ExactOptions);
            Assert.True(xy.IsExact && yx.IsExact);
            Assert.Equal((x.Length * y.Length) - xy.Statistic, yx.Statistic);
            Assert.Equal(-xy.Estimate, yx.Estimate);
            Assert.Equal(-xy.ConfidenceInterval.Upper, yx.ConfidenceInterval.Lower);
            Assert.Equal(-xy.ConfidenceInterval.Lower, yx.ConfidenceInterval.Upper);
            Assert.Equal(xy.ConfidenceInterval.Level, yx.ConfidenceInterval.Level);
            Near(xy.PValue, yx.PValue, 1e-12, $"two-sided p, seed {seed}");

            MannWhitneyResult lessXy = MannWhitney.Test(x, y, With(ExactOptions, Alternative.Less));
            MannWhitneyResult greaterYx = MannWhitney.Test(y, x, With(ExactOptions, Alternative.Greater));
            Near(lessXy.PValue, greaterYx.PValue, 1e-12, $"less ↔ greater p, seed {seed}");
            Assert.Equal(double.NegativeInfinity, lessXy.ConfidenceInterval.Lower);
            Assert.Equal(double.PositiveInfinity, greaterYx.ConfidenceInterval.Upper);
            Assert.Equal(-lessXy.ConfidenceInterval.Upper, greaterYx.ConfidenceInterval.Lower);
        }
    }

    [Fact]
    public void Swap_NormalBranch_MirrorsEstimateAndIntervalWithinRootTolerance_AndKeepsP()
    {
        for (int seed = 0; seed < Seeds; seed++)
        {
            var random = new Random(1000 + seed);
            int nx = (2 * random.Next(10, 40)) + 1;
            int ny = (2 * random.Next(10, 40)) + 1;
            double[] x = Continuous(random, nx, offset: 0.3);
            double[] y = Continuous(random, ny);

            MannWhitneyResult xy = MannWhitney.Test(x, y, NormalOptions);
            MannWhitneyResult yx = MannWhitney.Test(y, x, NormalOptions);
            Assert.False(xy.IsExact || yx.IsExact);
            Assert.Equal((nx * ny) - xy.Statistic, yx.Statistic);
            Near(xy.PValue, yx.PValue, 1e-14, $"two-sided p, seed {seed}");
            Near(-xy.Estimate, yx.Estimate, RootTolerance, $"estimate, seed {seed}");
            Near(-xy.ConfidenceInterval.Upper, yx.ConfidenceInterval.Lower, RootTolerance, $"lower, seed {seed}");
            Near(-xy.ConfidenceInterval.Lower, yx.ConfidenceInterval.Upper, RootTolerance, $"upper, seed {seed}");

            MannWhitneyResult lessXy = MannWhitney.Test(x, y, With(NormalOptions, Alternative.Less));
            MannWhitneyResult greaterYx = MannWhitney.Test(y, x, With(NormalOptions, Alternative.Greater));
            Near(lessXy.PValue, greaterYx.PValue, 1e-14, $"less ↔ greater p, seed {seed}");
            Near(-lessXy.ConfidenceInterval.Upper, greaterYx.ConfidenceInterval.Lower, RootTolerance, $"one-sided bound, seed {seed}");
            Assert.Equal(double.PositiveInfinity, greaterYx.ConfidenceInterval.Upper);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ShiftingBothSamples_ChangesNothing(bool exact)
    {
        MannWhitneyOptions options = exact ? ExactOptions : NormalOptions;
        for (int seed = 0; seed < Seeds; seed++)
        {
            var random = new Random(2000 + seed);
            int nx = (2 * random.Next(2, 20)) + 1;
            int ny = (2 * random.Next(2, 20)) + 1;
            double[] x = Dyadic(random, nx, halfGrid: false);
            double[] y = Dyadic(random, ny, halfGrid: true);
            double c = random.Next(-4096, 4096) / 64.0;

            foreach (Alternative alternative in new[] { Alternative.TwoSided, Alternative.Less, Alternative.Greater })
            {
                MannWhitneyResult original = MannWhitney.Test(x, y, With(options, alternative));
                MannWhitneyResult shifted = MannWhitney.Test(Add(x, c), Add(y, c), With(options, alternative));
                string what = $"{alternative}, seed {seed}, c = {c}";
                Assert.Equal(original.Statistic, shifted.Statistic);
                Assert.Equal(original.PValue, shifted.PValue);
                double tolerance = exact ? 0 : RootTolerance;
                Near(original.Estimate, shifted.Estimate, tolerance, "estimate " + what);
                Near(original.ConfidenceInterval.Lower, shifted.ConfidenceInterval.Lower, tolerance, "lower " + what);
                Near(original.ConfidenceInterval.Upper, shifted.ConfidenceInterval.Upper, tolerance, "upper " + what);
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ShiftingTheCanary_MovesEstimateAndIntervalByTheShift_AndMuUndoesIt(bool exact)
    {
        MannWhitneyOptions options = exact ? ExactOptions : NormalOptions;
        for (int seed = 0; seed < Seeds; seed++)
        {
            var random = new Random(3000 + seed);
            int nx = (2 * random.Next(2, 20)) + 1;
            int ny = (2 * random.Next(2, 20)) + 1;
            double[] x = Dyadic(random, nx, halfGrid: false);
            double[] y = Dyadic(random, ny, halfGrid: true);
            double d = random.Next(-640, 640) / 64.0;

            foreach (Alternative alternative in new[] { Alternative.TwoSided, Alternative.Less, Alternative.Greater })
            {
                MannWhitneyResult original = MannWhitney.Test(x, y, With(options, alternative));
                MannWhitneyResult shifted = MannWhitney.Test(Add(x, d), y, With(options, alternative));
                string what = $"{alternative}, seed {seed}, d = {d}";
                double tolerance = exact ? 0 : RootTolerance;
                Near(original.Estimate + d, shifted.Estimate, tolerance, "estimate " + what);
                Near(original.ConfidenceInterval.Lower + d, shifted.ConfidenceInterval.Lower, tolerance, "lower " + what);
                Near(original.ConfidenceInterval.Upper + d, shifted.ConfidenceInterval.Upper, tolerance, "upper " + what);

                // Testing the shifted canary against Mu = d is the original test.
                MannWhitneyResult undone = MannWhitney.Test(Add(x, d), y, With(options, alternative, mu: d));
                Assert.Equal(original.Statistic, undone.Statistic);
                Assert.Equal(original.PValue, undone.PValue);
            }
        }
    }

    [Theory]
    [InlineData(12, 9)] // exact branch
    [InlineData(61, 55)] // normal approximation
    public void OneSidedPValues_AreMonotoneInTheCanaryShift(int nx, int ny)
    {
        for (int seed = 0; seed < 10; seed++)
        {
            var random = new Random(4000 + seed);
            double[] x = Dyadic(random, nx, halfGrid: false);
            double[] y = Dyadic(random, ny, halfGrid: true);
            double previousGreater = double.PositiveInfinity;
            double previousLess = double.NegativeInfinity;
            double previousTwoSidedStatistic = double.NegativeInfinity;
            for (int step = -40; step <= 40; step++)
            {
                double d = step / 2.0;
                double[] shifted = Add(x, d);
                MannWhitneyResult greater = MannWhitney.Test(shifted, y, new MannWhitneyOptions { Alternative = Alternative.Greater });
                MannWhitneyResult less = MannWhitney.Test(shifted, y, new MannWhitneyOptions { Alternative = Alternative.Less });
                Assert.Equal(nx < 50 && ny < 50, greater.IsExact);
                Assert.True(greater.PValue <= previousGreater, $"p(greater) rose at d = {d}, seed {seed}: {previousGreater} → {greater.PValue}");
                Assert.True(less.PValue >= previousLess, $"p(less) fell at d = {d}, seed {seed}: {previousLess} → {less.PValue}");
                Assert.True(greater.Statistic >= previousTwoSidedStatistic);
                previousGreater = greater.PValue;
                previousLess = less.PValue;
                previousTwoSidedStatistic = greater.Statistic;
            }

            // At d = 20 every canary value is above every baseline value: the smallest p-value the test can give.
            Assert.True(previousGreater < 1e-5, $"a canary shifted far above the baseline must be significant, p = {previousGreater}");
            Assert.True(previousLess > 1 - 1e-5, $"p(less) = {previousLess}");
        }
    }

    [Fact]
    public void ExactAndNormalBranches_AgreeOnLargeTieFreeSamples_AndAgreeBetterAsNGrows()
    {
        // The exact distribution at 75 × 74 pairs costs about 0.1 s per test, so the large case uses fewer seeds.
        double MeanPGap(int n, int seeds, out double worstBoundGap, out double worstEstimateGap)
        {
            double sum = 0;
            worstBoundGap = 0;
            worstEstimateGap = 0;
            for (int seed = 0; seed < seeds; seed++)
            {
                var random = new Random(5000 + (1000 * n) + seed);
                double[] x = Continuous(random, n, offset: 0.2);
                double[] y = Continuous(random, n - 1);
                MannWhitneyResult exact = MannWhitney.Test(x, y, ExactOptions);
                MannWhitneyResult normal = MannWhitney.Test(x, y, NormalOptions);
                Assert.True(exact.IsExact);
                Assert.False(normal.IsExact);
                Assert.Equal(exact.Statistic, normal.Statistic);
                sum += Math.Abs(exact.PValue - normal.PValue);
                worstBoundGap = Math.Max(
                    worstBoundGap,
                    Math.Max(Math.Abs(exact.ConfidenceInterval.Lower - normal.ConfidenceInterval.Lower), Math.Abs(exact.ConfidenceInterval.Upper - normal.ConfidenceInterval.Upper)));
                worstEstimateGap = Math.Max(worstEstimateGap, Math.Abs(exact.Estimate - normal.Estimate));
            }

            return sum / seeds;
        }

        // The interval bounds of both branches are pairwise differences (order statistics, or the jump the root-finder stops
        // at), and they are usually the same ones already at n = 9; the p-values converge at the normal-approximation rate.
        double small = MeanPGap(9, Seeds, out _, out _);
        double large = MeanPGap(75, 6, out double largeBounds, out double largeEstimate);
        Assert.True(large < small, $"mean |p_exact − p_normal|: n = 9 → {small}, n = 75 → {large}");
        Assert.True(large < 0.004, $"mean |p_exact − p_normal| at n = 75 is {large}");
        Assert.True(largeBounds < 0.02, $"worst interval-bound gap at n = 75 is {largeBounds}");
        Assert.True(largeEstimate < 0.01, $"worst estimate gap at n = 75 is {largeEstimate}");
    }
}

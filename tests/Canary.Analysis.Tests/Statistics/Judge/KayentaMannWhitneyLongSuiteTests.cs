using Canary.Analysis.Statistics;
using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Tests.Statistics.Judge;

/// <summary>
/// The long cases of Kayenta's <c>MannWhitneySuite.scala</c> (kayenta.md §5.1, cases 4–7), with the arrays in
/// <c>Fixtures/MannWhitneySuite.json</c> and Kayenta's tolerance <c>E = 1e-6</c>.
/// </summary>
public sealed class KayentaMannWhitneyLongSuiteTests
{
    private const double E = 0.000001;
    private const string File = "MannWhitneySuite.json";

    private static MannWhitneyResult Kayenta(double[] experiment, double[] control, double confLevel) =>
        MannWhitney.Test(experiment, control, new MannWhitneyOptions { ConfidenceLevel = confLevel, KayentaCompatible = true });

    /// <summary>Kayenta's <c>MannWhitney.wilcoxonDiff(mu, quantile, x, y)</c>: the continuity-corrected z at shift mu, minus quantile.</summary>
    private static double WilcoxonDiff(double mu, double quantile, double[] x, double[] y)
    {
        double[] sx = (double[])x.Clone();
        double[] sy = (double[])y.Clone();
        System.Array.Sort(sx);
        System.Array.Sort(sy);
        var rankSum = new ShiftedRankSum(sx, sy);
        rankSum.Evaluate(mu, out long twiceU, out long tieSum);
        return new StandardizedStatistic(sx.Length, sy.Length, Alternative.TwoSided).Value(twiceU, tieSum, corrected: true) - quantile;
    }

    [Fact]
    public void Fixtures_HaveTheLengthsOfTheScalaArrays()
    {
        Assert.Equal(850, KayentaFixtureData.Array(File, "wilcoxDiffX").Length);
        Assert.Equal(850, KayentaFixtureData.Array(File, "wilcoxDiffY").Length);
        Assert.Equal(180, KayentaFixtureData.Array(File, "tieOutAgainControl").Length);
        Assert.Equal(180, KayentaFixtureData.Array(File, "tieOutAgainExperiment").Length);
        Assert.Equal(210, KayentaFixtureData.Array(File, "intermediateExperiment").Length);
        Assert.Equal(210, KayentaFixtureData.Array(File, "intermediateControl").Length);
    }

    [Fact]
    public void MannWhitneySuite_WilcoxonDiffFunction()
    {
        double[] x = KayentaFixtureData.Array(File, "wilcoxDiffX");
        double[] y = KayentaFixtureData.Array(File, "wilcoxDiffY");
        Assert.Equal(-1.229416, WilcoxonDiff(0, 0, x, y), E);
        Assert.Equal(-35.80606, WilcoxonDiff(5, 0, x, y), E);
    }

    [Fact]
    public void MannWhitneySuite_ProblemCase_850By850At98Percent()
    {
        // "test problem case" uses the same two arrays as "wilcox function" (x = experiment, y = control).
        double[] experiment = KayentaFixtureData.Array(File, "wilcoxDiffX");
        double[] control = KayentaFixtureData.Array(File, "wilcoxDiffY");
        MannWhitneyResult r = Kayenta(experiment, control, 0.98);
        Assert.Equal(-1.4808028936386108E-5, r.ConfidenceInterval.Lower, E);
        Assert.Equal(1.808255910873413E-5, r.ConfidenceInterval.Upper, E);
        Assert.Equal(1.808255910873413E-5, r.Estimate, E);

        // kayenta.md §5.1: R 4.2.2 gives the same interval.
        MannWhitneyResult rMode = MannWhitney.Test(experiment, control, new MannWhitneyOptions { ConfidenceLevel = 0.98 });
        Assert.Equal(-1.4808028936386108E-5, rMode.ConfidenceInterval.Lower, E);
        Assert.Equal(1.808255910873413E-5, rMode.ConfidenceInterval.Upper, E);
    }

    [Fact]
    public void MannWhitneySuite_TieOutWithRLarge_180By180At98Percent()
    {
        double[] control = KayentaFixtureData.Array(File, "tieOutAgainControl");
        double[] experiment = KayentaFixtureData.Array(File, "tieOutAgainExperiment");
        MannWhitneyResult r = Kayenta(experiment, control, 0.98);
        Assert.Equal(-0.4999173250549087, r.ConfidenceInterval.Lower, E);
        Assert.Equal(-6.912685789769486E-6, r.ConfidenceInterval.Upper, E);

        // Kayenta comments this assertion out; kayenta.md quotes it with tolerance 1e-4 (it is R's estimate).
        Assert.Equal(-3.45044082729315E-5, r.Estimate, 1e-4);
        MannWhitneyResult rMode = MannWhitney.Test(experiment, control, new MannWhitneyOptions { ConfidenceLevel = 0.98 });
        Assert.Equal(-3.45044082729315E-5, rMode.Estimate, E);
        Assert.Equal(-0.4999173250549087, rMode.ConfidenceInterval.Lower, E);
        Assert.Equal(-6.912685789769486E-6, rMode.ConfidenceInterval.Upper, E);
    }

    [Fact]
    public void MannWhitneySuite_IntermediateValues_210By210ZeroInflated()
    {
        double[] x = KayentaFixtureData.Array(File, "intermediateExperiment");
        double[] y = KayentaFixtureData.Array(File, "intermediateControl");
        double muMin = x.Min() - y.Max();
        double muMax = x.Max() - y.Min();
        double zqLower = -StandardNormal.Quantile(0.05 / 2);
        double zqUpper = StandardNormal.Quantile(0.05 / 2);
        Assert.Equal(-3.124999999999986, muMin, E);
        Assert.Equal(5.555555555555557, muMax, E);
        Assert.Equal(1.9599639845400536, zqLower, E);
        Assert.Equal(-1.9599639845400536, zqUpper, E);
        Assert.Equal(17.090968923762254, WilcoxonDiff(muMin, zqLower, x, y), E);
        Assert.Equal(-20.997687930433106, WilcoxonDiff(muMax, zqLower, x, y), E);
        Assert.Equal(21.01089689284236, WilcoxonDiff(muMin, zqUpper, x, y), E);
        Assert.Equal(-17.077759961353, WilcoxonDiff(muMax, zqUpper, x, y), E);

        // Kayenta's interval is inverted (lower > upper): 339 of the 420 values are zero (146 canary, 193 baseline), so the
        // corrected statistic jumps across both quantiles at the single shift d = 0. Both Brent searches stop within
        // tol.root = 1e-4 of that jump, at iterates that happen to be in the wrong order. R's uniroot does the same.
        MannWhitneyResult r = Kayenta(x, y, 0.95);
        Assert.Equal(3.521755377702165E-5, r.ConfidenceInterval.Lower, E);
        Assert.Equal(2.02456461662334E-5, r.ConfidenceInterval.Upper, E);
        Assert.Equal(2.6279243045155653E-5, r.Estimate, E);
        Assert.True(r.ConfidenceInterval.Lower > r.ConfidenceInterval.Upper);
    }

    [Fact]
    public void IntermediateValues_RGivesTheSameInvertedIntervalButItsOwnEstimate()
    {
        double[] x = KayentaFixtureData.Array(File, "intermediateExperiment");
        double[] y = KayentaFixtureData.Array(File, "intermediateControl");
        MannWhitneyResult r = MannWhitney.Test(x, y, new MannWhitneyOptions { ConfidenceLevel = 0.95 });
        Assert.False(r.IsExact);
        Assert.Equal(3.521755377702165E-5, r.ConfidenceInterval.Lower, E);
        Assert.Equal(2.02456461662334E-5, r.ConfidenceInterval.Upper, E);

        // kayenta.md §4: R 4.2.2 wilcox.test(...)$estimate = 1.515181852089427e-05 (R drops the continuity correction).
        Assert.Equal(1.515181852089427e-05, r.Estimate, E);
    }
}

using Canary.Analysis.Statistics;
using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Tests.Statistics.Judge;

/// <summary>Kayenta's <c>MannWhitneySuite.scala</c> (kayenta.md §5.1) against <see cref="MannWhitneyOptions.KayentaCompatible"/>.</summary>
public sealed class KayentaMannWhitneySuiteTests
{
    private const double E = 0.000001;

    internal static readonly double[] TieControl =
    [
        1.5, 6.0, 5.0, 2.5, 2.5, 2.0, 2.0, 3.5, 3.0, 3.0, 3.0, 2.0, 3.0, 8.0, 4.0, 2.5, 3.0, 2.5, 2.5, 2.0, 2.5, 2.0, 2.0, 2.5, 3.5, 3.0, 1.5, 5.0, 2.5, 5.5,
        2.0, 2.5, 3.5, 2.0, 2.5, 4.0, 2.0, 2.0, 2.0, 2.0, 5.5, 4.5, 4.0, 3.0, 3.0, 3.5, 2.5, 3.0, 2.5, 4.0, 6.0, 2.0, 5.0, 6.0, 3.5, 3.0, 54.5, 3.0, 5.0, 6.0,
        3.5, 4.5, 2.5, 2.0, 6.0, 5.0, 2.5, 3.5, 2.0, 3.0, 2.5, 3.5, 3.5, 2.5, 3.0, 4.5, 3.0, 15.5, 5.0, 2.5, 3.0, 4.0, 3.5, 4.0, 4.0, 2.0, 4.5, 2.5, 4.0, 3.0,
    ];

    internal static readonly double[] TieExperiment =
    [
        2.5, 2.5, 2.0, 2.5, 3.5, 2.0, 3.5, 1.5, 3.0, 3.0, 2.5, 3.5, 2.0, 2.5, 2.0, 2.0, 5.0, 3.0, 2.0, 1.5, 2.0, 4.0, 3.0, 2.5, 3.0, 2.0, 2.0, 2.0, 2.5, 3.5,
        1.5, 1.5, 3.5, 2.0, 2.5, 2.5, 3.0, 3.5, 2.5, 6.5, 2.5, 4.0, 2.5, 3.0, 2.5, 6.5, 2.5, 3.0, 1.5, 2.0, 2.5, 3.0, 7.5, 1.5, 2.0, 4.0, 2.5, 2.0, 2.5, 3.5,
        4.0, 2.5, 3.0, 2.5, 2.0, 3.5, 3.0, 16.5, 3.0, 3.0, 7.0, 4.5, 5.0, 2.0, 3.5, 6.0, 1.5, 3.0, 2.5, 4.0, 3.0, 1.5, 5.0, 3.0, 2.5, 5.5, 3.0, 1.5, 2.5, 6.0,
    ];

    private static MannWhitneyResult Kayenta(double[] experiment, double[] control, double confLevel) =>
        MannWhitney.Test(experiment, control, new MannWhitneyOptions { ConfidenceLevel = confLevel, KayentaCompatible = true });

    [Fact]
    public void MannWhitneySuite_SmallCase_ClampsTheIntervalToTheBracket()
    {
        MannWhitneyResult r = Kayenta([10.0, 20.0, 30.0, 40.0], [1.0, 2.0, 3.0, 4.0], 0.95);
        Assert.False(r.IsExact);
        Assert.Equal(6.0, r.ConfidenceInterval.Lower, E);
        Assert.Equal(39.0, r.ConfidenceInterval.Upper, E);
        Assert.Equal(22.5, r.Estimate, E);
    }

    [Fact]
    public void MannWhitneySuite_ZQuant() =>
        Assert.Equal(-2.326348, StandardNormal.Quantile(0.02 / 2), E);

    [Fact]
    public void MannWhitneySuite_TieOutWithR()
    {
        MannWhitneyResult r = Kayenta(TieExperiment, TieControl, 0.95);
        Assert.Equal(-0.500002521696696, r.ConfidenceInterval.Lower, 1e-4);
        Assert.Equal(-3.486287505871302E-5, r.ConfidenceInterval.Upper, 1e-4);
        Assert.Equal(-0.4999393907180323, r.Estimate, 1e-4);
        Assert.Equal(0.04097223, r.PValue, 1e-7);
    }

    [Fact]
    public void KayentaMode_KeepsTheContinuityCorrectionInTheEstimate_UnlikeR()
    {
        double[] x = [10, 12.2, 10.1, 12.5, 23];
        double[] y = [20, 22, 21, 25, 30];
        MannWhitneyResult kayenta = Kayenta(x, y, 0.95);
        MannWhitneyResult r = MannWhitney.Test(x, y, new MannWhitneyOptions { Exact = false });
        Assert.Equal(-10.7812202, kayenta.Estimate, 1e-4);
        Assert.Equal(-10.00005, r.Estimate, 1e-4);
        Assert.Equal(r.ConfidenceInterval.Lower, kayenta.ConfidenceInterval.Lower);
        Assert.Equal(r.ConfidenceInterval.Upper, kayenta.ConfidenceInterval.Upper);
    }

    [Fact]
    public void KayentaMode_IgnoresExactAndUsesTheNormalApproximation()
    {
        MannWhitneyResult r = MannWhitney.Test([1.0, 2.0, 3.5], [4.0, 5.0, 6.0], new MannWhitneyOptions { Exact = true, KayentaCompatible = true });
        Assert.False(r.IsExact);
    }

    [Fact]
    public void KayentaMode_RejectsOneSidedAlternatives() =>
        Assert.Equal(
            "options",
            Assert.Throws<ArgumentException>(() => MannWhitney.Test([1.0, 2.0], [3.0, 4.0], new MannWhitneyOptions { Alternative = Alternative.Greater, KayentaCompatible = true })).ParamName);
}

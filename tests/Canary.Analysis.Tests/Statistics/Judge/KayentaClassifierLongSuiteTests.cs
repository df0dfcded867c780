using Canary.Analysis.Statistics.Judge;
using Canary.Analysis.Statistics.Judge.Internal;

namespace Canary.Analysis.Tests.Statistics.Judge;

/// <summary>
/// The longer fixtures of Kayenta's <c>ClassifierSuite.scala</c> and <c>StatisticSuite.scala</c> (kayenta.md §5.2 "Longer
/// fixtures" and §5.4), with the arrays in <c>Fixtures/ClassifierSuite.json</c>, <c>Fixtures/StatisticSuite.json</c> and
/// <c>Fixtures/MannWhitneySuite.json</c> (the 210/210 zero-inflated set is the same in both Scala files).
/// </summary>
public sealed class KayentaClassifierLongSuiteTests
{
    private const string Classifier = "ClassifierSuite.json";
    private const string Statistic = "StatisticSuite.json";

    private static readonly JudgeOptions SuiteOptions = new() { Tolerance = 0.10, ConfidenceLevel = 0.95 };
    private static readonly JudgeOptions ClesOptions = new() { Tolerance = 0.20, ConfidenceLevel = 0.98 };

    private static double[] C(string name) => KayentaFixtureData.Array(Classifier, name);

    private static MetricClassification Classify(
        string experiment,
        string control,
        MetricDirection direction,
        double? allowedDecrease = null,
        double? allowedIncrease = null) =>
        MetricClassifier.Classify(
            new MetricConfig { Name = "m", Direction = direction, AllowedDecrease = allowedDecrease, AllowedIncrease = allowedIncrease },
            C(experiment),
            C(control),
            SuiteOptions).Classification;

    private static MetricClassification ClassifyCles(string experiment, string control, double allowedDecrease, double allowedIncrease) =>
        MetricClassifier.Classify(
            new MetricConfig
            {
                Name = "m",
                EffectSizeMeasure = EffectSizeMeasure.Cles,
                AllowedDecrease = allowedDecrease,
                AllowedIncrease = allowedIncrease,
            },
            C(experiment),
            C(control),
            ClesOptions).Classification;

    [Fact]
    public void Fixtures_HaveTheLengthsOfTheScalaArrays()
    {
        foreach (string name in new[] { "normalExperimentPass", "normalControlPass", "normalExperimentHigh", "normalControlLow", "clesLowExperiment", "clesLowControl" })
        {
            Assert.Equal(30, C(name).Length);
        }

        foreach (string name in new[] { "clesPassExperiment", "clesPassControl", "clesHighExperiment", "clesHighControl" })
        {
            Assert.Equal(60, C(name).Length);
        }
    }

    [Fact]
    public void ClassifierSuite_30Values_PassHighLow() // ClassifierSuite lines 26, 58, 90
    {
        Assert.Equal(MetricClassification.Pass, Classify("normalExperimentPass", "normalControlPass", MetricDirection.Either));
        Assert.Equal(MetricClassification.High, Classify("normalExperimentHigh", "normalControlPass", MetricDirection.Either));
        Assert.Equal(MetricClassification.Low, Classify("normalExperimentPass", "normalControlLow", MetricDirection.Either));
    }

    [Fact]
    public void ClassifierSuite_30Values_Directional() // ClassifierSuite lines 122, 154, 186, 219
    {
        Assert.Equal(MetricClassification.Pass, Classify("normalExperimentPass", "normalControlLow", MetricDirection.Increase));
        Assert.Equal(MetricClassification.Pass, Classify("normalExperimentHigh", "normalControlPass", MetricDirection.Decrease));
        Assert.Equal(MetricClassification.High, Classify("normalExperimentHigh", "normalControlPass", MetricDirection.Increase));
        Assert.Equal(MetricClassification.Low, Classify("normalExperimentPass", "normalControlLow", MetricDirection.Decrease));
    }

    [Fact]
    public void ClassifierSuite_MeanRatioLow_WithEffectSize() // ClassifierSuite line 327
    {
        Assert.Equal(MetricClassification.Low, Classify("normalExperimentPass", "normalControlLow", MetricDirection.Decrease, 0.8, 1.2));
    }

    [Fact]
    public void ClassifierSuite_ZeroInflated210_HighAndPassWithEffectSize() // ClassifierSuite lines 251, 371
    {
        double[] experiment = KayentaFixtureData.Array("MannWhitneySuite.json", "intermediateExperiment");
        double[] control = KayentaFixtureData.Array("MannWhitneySuite.json", "intermediateControl");
        MetricResult high = MetricClassifier.Classify(new MetricConfig { Name = "m" }, experiment, control, SuiteOptions);
        Assert.Equal(MetricClassification.High, high.Classification);
        Assert.False(high.IsCritical);

        MetricResult pass = MetricClassifier.Classify(new MetricConfig { Name = "m", AllowedDecrease = 1.0, AllowedIncrease = 5.0 }, experiment, control, SuiteOptions);
        Assert.Equal(MetricClassification.Pass, pass.Classification);
    }

    [Fact]
    public void ClassifierSuite_Cles() // ClassifierSuite lines 432, 479, 520
    {
        Assert.Equal(MetricClassification.Pass, ClassifyCles("clesPassExperiment", "clesPassControl", 0.5, 0.8));
        Assert.Equal(MetricClassification.High, ClassifyCles("clesHighExperiment", "clesHighControl", 0.2, 0.8));
        Assert.Equal(MetricClassification.Low, ClassifyCles("clesLowExperiment", "clesLowControl", 0.2, 0.8));
    }

    private static double Cles(string experiment, string control) =>
        MetricClassifier.Classify(
            new MetricConfig { Name = "m", EffectSizeMeasure = EffectSizeMeasure.Cles },
            KayentaFixtureData.Array(Statistic, experiment),
            KayentaFixtureData.Array(Statistic, control)).EffectSize;

    [Fact]
    public void StatisticSuite_Cles_NoOverlapHighLow()
    {
        Assert.Equal(0.0, Cles("clesNoOverlapExperiment", "clesNoOverlapControl"));
        Assert.Equal(0.771, Cles("clesHighExperiment", "clesHighControl"), 0.001);
        Assert.Equal(0.12, Cles("clesLowExperiment", "clesLowControl"), 1e-12);
    }

    [Fact]
    public void StatisticSuite_PercentilesOfTheNistAndEstimateSets()
    {
        double[] nist = KayentaFixtureData.Array(Statistic, "nistPercentile");
        Assert.Equal(12, nist.Length);
        System.Array.Sort(nist);
        Assert.Equal(95.19568, Descriptive.PercentileR7(nist, 90), 1e-9);

        double[] estimate = KayentaFixtureData.Array(Statistic, "percentileEstimate");
        Assert.Equal(49, estimate.Length);
        System.Array.Sort(estimate);
        Assert.Equal(0.0, Descriptive.PercentileR7(estimate, 25));
        Assert.Equal(0.0416, Descriptive.PercentileR7(estimate, 75), 1e-4);
    }
}
